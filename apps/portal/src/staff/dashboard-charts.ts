/**
 * The dashboard's charts: Vega-Lite bar charts compiled and rendered to SVG on the server (issue #16), so
 * they show with JavaScript off. Each is an image to assistive technology (role="img" with a title and
 * a description that gives every value), and the page puts the same numbers in a table beside it. GOV.UK
 * colours: bars in GOV.UK blue (#1d70b8, 5.2:1 on white), text in GOV.UK black.
 */
// vega and vega-lite are loaded through their CommonJS builds (the ESM entry points do not load in Jest on Node 20).
const vega = require('vega') as typeof import('vega');
const vl = require('vega-lite') as typeof import('vega-lite');

export interface ChartRow {
  label: string;
  count: number;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A horizontal bar chart as an accessible SVG string; `id` must be unique on the page. */
export async function barChart(
  id: string,
  title: string,
  rows: readonly ChartRow[],
  unit: string,
): Promise<string> {
  const spec = {
    data: { values: rows.map((r) => ({ label: r.label, count: r.count })) },
    mark: { type: 'bar' as const, color: '#1d70b8' },
    encoding: {
      y: { field: 'label', type: 'nominal' as const, title: null, sort: null },
      x: {
        field: 'count',
        type: 'quantitative' as const,
        title: unit,
        axis: { tickMinStep: 1, format: 'd' },
        scale: { domainMin: 0, nice: true },
      },
    },
    width: 240,
    config: {
      font: 'Arial, sans-serif',
      background: '#ffffff',
      view: { stroke: null },
      axis: {
        labelColor: '#0b0c0c',
        titleColor: '#0b0c0c',
        domainColor: '#505a5f',
        tickColor: '#505a5f',
        gridColor: '#b1b4b6',
        labelFontSize: 13,
        titleFontSize: 13,
        labelLimit: 170,
      },
    },
  };
  const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const description = `${title}: ${rows.map((r) => `${r.label} ${r.count}`).join(', ') || 'no data'}.`;
  const inner = svg.replace(/^<svg[^>]*>/, '').replace(/\s(role|aria-[a-z]+)="[^"]*"/g, '');
  const viewBox = /viewBox="([^"]+)"/.exec(svg)?.[1] ?? '0 0 500 100';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="nolan-chart" viewBox="${viewBox}" role="img" focusable="false" ` +
    `aria-labelledby="${id}-title ${id}-desc">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>` +
    inner
  );
}

import { ExportBudget } from './export-budget';

describe('the export memory budget', () => {
  it('admits exports while their sizes fit, and refuses the one that would overflow', () => {
    const budget = new ExportBudget(100);
    const first = budget.reserve(60);
    expect(first).not.toBeNull();
    expect(budget.reserve(50)).toBeNull();
    const second = budget.reserve(40);
    expect(second).not.toBeNull();
    expect(budget.reserve(1)).toBeNull();
    first?.();
    expect(budget.reserve(60)).not.toBeNull();
  });

  it('lets a case larger than the whole budget export when nothing else is running', () => {
    const budget = new ExportBudget(100);
    const huge = budget.reserve(500);
    expect(huge).not.toBeNull();
    expect(budget.reserve(1)).toBeNull();
    huge?.();
    expect(budget.reserve(1)).not.toBeNull();
  });

  it('releases once, however often release is called', () => {
    const budget = new ExportBudget(100);
    const a = budget.reserve(100);
    a?.();
    a?.();
    const b = budget.reserve(100);
    expect(b).not.toBeNull();
    expect(budget.reserve(1)).toBeNull();
  });
});

/**
 * The dashboard side of the API (GET /dashboard/…), typed with @nolan/contract (docs/conventions.md §8).
 */
import { Injectable } from '@nestjs/common';
import type { DashboardFigures, DrillDown, PublishedSummary } from '@nolan/contract';
import { type ApiBinary, ApiHttp } from './api-http';

export interface PeriodChoice {
  from?: string;
  to?: string;
  year?: string;
}

@Injectable()
export class DashboardApi {
  constructor(private readonly http: ApiHttp) {}

  figures(token: string, period: PeriodChoice): Promise<DashboardFigures> {
    return this.http.get('/dashboard/figures', { token, query: { ...period } });
  }

  drill(token: string, period: PeriodChoice, figure: string, key?: string): Promise<DrillDown> {
    return this.http.get('/dashboard/cases', { token, query: { ...period, figure, key } });
  }

  summary(token: string, period: PeriodChoice): Promise<PublishedSummary> {
    return this.http.get('/dashboard/summary', { token, query: { ...period } });
  }

  download(token: string, year: string, file: string): Promise<ApiBinary> {
    return this.http.binary(
      'GET',
      `/dashboard/annual-report/${encodeURIComponent(year)}/${encodeURIComponent(file)}`,
      { token },
    );
  }
}

/** One page of a list: every list the API answers is paged by `limit` and `offset`. */
export interface Page<T> {
  readonly items: readonly T[];
  /** How many items match, across every page. */
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** The query of a paged list. */
export interface PageRequest {
  readonly limit?: number;
  readonly offset?: number;
}

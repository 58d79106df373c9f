/** One page of a list: every list the API answers is paged by `limit` and `offset`. */
export interface Page<T> {
  items: T[];
  /** How many items match, across every page. */
  total: number;
  limit: number;
  offset: number;
}

/** The query of a paged list. */
export interface PageRequest {
  limit?: number;
  offset?: number;
}

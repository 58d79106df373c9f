/** The version segment every path of the HTTP API starts with (`/api/v1/…`). */
export const API_VERSION = 'v1' as const;

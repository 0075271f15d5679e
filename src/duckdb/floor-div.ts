/** Floor division of a BIGINT expression by a positive constant (DuckDB's `//` truncates). */
export const floorDiv = (expr: string, by: number): string => `((${expr}) - ((((${expr}) % ${by}) + ${by}) % ${by})) // ${by}`;

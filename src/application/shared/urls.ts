// Appends result parameters to a return URL, keeping what it already has (`?` or `&` as needed).
export function withParams(url: string, params: Record<string, string | null | undefined>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined) target.searchParams.set(key, value);
  }
  return target.toString();
}

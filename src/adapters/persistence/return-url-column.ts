// "No return URL" (flows end on kailenty's own result pages) in the `return_url text not null` columns of
// workspaces and authorization_states: stored as the empty string, which no accepted URL can be, so that
// no migration is needed for it. A later migration may make the columns nullable and drop this mapping.
export function storedReturnUrl(returnUrl: string | null): string {
  return returnUrl ?? '';
}

export function loadedReturnUrl(column: string): string | null {
  return column === '' ? null : column;
}

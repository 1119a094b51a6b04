/// <reference lib="dom" />
/**
 * Where the page's API calls go: its own origin, except on the shop's domain (the
 * Shopify app proxy's page), which names the API's address in the page itself.
 */
export const API = document.getElementById('app')?.dataset.api ?? '';

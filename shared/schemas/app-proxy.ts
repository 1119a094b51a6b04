/** What Shopify's app proxy adds to a forwarded request (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies). */
import * as z from 'zod';

export const AppProxyQuery = z
  .object({
    shop: z.string().optional().describe('the shop, my-shop.myshopify.com'),
    logged_in_customer_id: z.string().optional().describe('the signed-in customer; empty when nobody is signed in'),
    path_prefix: z.string().optional().describe('/apps/club'),
    timestamp: z.string().optional().describe('when Shopify signed it (Unix seconds)'),
    signature: z.string().optional().describe('hex HMAC-SHA256 of the other parameters with SHOPIFY_APP_SECRET'),
    locale: z.string().optional().describe('the storefront language when sent (fa, en…): the page speaks it'),
  })
  .catchall(z.string());

export const AppProxyPath = z.object({ path: z.string().describe('the rest of the path after /apps/club/') });

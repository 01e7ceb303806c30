import { createRouteRef } from '@backstage/core-plugin-api';

// A core-plugin-api route ref works in both frontend systems, so the legacy
// plugin and the alpha plugin share it.
export const rootRouteRef = createRouteRef({
  id: 'dataflex',
});

export const accessRouteRef = createRouteRef({
  id: 'dataflex-access',
});

export const browseRouteRef = createRouteRef({
  id: 'dataflex-browse',
});

export const profileRouteRef = createRouteRef({
  id: 'dataflex-profile',
});

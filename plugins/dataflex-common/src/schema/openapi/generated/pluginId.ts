export const pluginId = 'dataflex';

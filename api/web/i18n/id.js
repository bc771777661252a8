export const t = {};

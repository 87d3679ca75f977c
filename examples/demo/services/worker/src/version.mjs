// Change the version below and commit: Slipway ships a new worker release.
export const VERSION = '1.0.0';

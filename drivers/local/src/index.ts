export { createLocalDriver, type LocalDriver, type LocalDriverOptions } from './driver.js';

export { createProgram } from './program.js';
export { createClient, type Client } from './client.js';

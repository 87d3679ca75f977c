const fs = require('node:fs');
const who = process.env['INPUT_WHO-TO-GREET'];
console.log(`Hello ${who}${process.env.INPUT_EXCITED === 'true' ? '!' : ''}`);
console.log(`action path ends with ${process.env.GITHUB_ACTION_PATH.split('/').slice(-2).join('/')}`);
fs.appendFileSync(process.env.GITHUB_OUTPUT, 'time=noon\n');
fs.appendFileSync(process.env.GITHUB_ENV, `GREETED=${who}\n`);

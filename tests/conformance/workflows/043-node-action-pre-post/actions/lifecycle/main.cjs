require('node:fs').appendFileSync(process.env.GITHUB_STATE, `started=${process.env.INPUT_LABEL}-state\n`);
console.log(`main ${process.env.INPUT_LABEL}`);

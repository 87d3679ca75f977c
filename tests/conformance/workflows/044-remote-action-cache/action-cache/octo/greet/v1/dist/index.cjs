const text = `remote hello ${process.env.INPUT_NAME}`;
console.log(text);
require('node:fs').appendFileSync(process.env.GITHUB_OUTPUT, `said=${text}\n`);

console.log(`post ${process.env.INPUT_LABEL} state=${process.env.STATE_started}`);

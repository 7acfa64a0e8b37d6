// Request logs would drown the test report; warnings and errors still show.
process.env.LOG_LEVEL ??= 'warn';

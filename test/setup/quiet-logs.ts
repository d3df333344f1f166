/**
 * Handler logs stay out of the test output: Powertools loggers created in tests log nothing unless
 * POWERTOOLS_LOG_LEVEL is set (`POWERTOOLS_LOG_LEVEL=DEBUG npx jest …` shows them). Tests that
 * assert what a handler logs capture its output with captureOutput(), which turns logging back on
 * for that test file (jest gives each file its own copy of process.env).
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

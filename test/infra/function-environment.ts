/** What the project function construct sets on every function of the stack (named Emailless), whatever its Node.js flags. */
export const everyFunctionEnvironment = {
  LOG_LEVEL: 'info',
  BCRYPT_COST: '11',
  POWERTOOLS_SERVICE_NAME: 'Emailless',
  POWERTOOLS_METRICS_NAMESPACE: 'emailless',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_TRACE_ENABLED: 'true',
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
  POWERTOOLS_LOGGER_LOG_EVENT: 'false',
};

/** The whole environment of a function with no Node.js flags beyond source maps. */
export const functionEnvironment = { NODE_OPTIONS: '--enable-source-maps', ...everyFunctionEnvironment };

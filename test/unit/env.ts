// Unit tests load shared modules that read their configuration at load time.
process.env.TABLE_NAME ??= 'emailless-unit';
process.env.LOG_LEVEL ??= 'silent';
process.env.OPERATOR_KEY ??= 'unit-test-operator-key';
process.env.CODE_KEY ??= 'unit-test-code-key-unit-test';

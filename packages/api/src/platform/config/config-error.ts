/**
 * A setting that stops start-up. The message is one line naming the variable and what is wrong
 * with it, never its value (it may be a secret).
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Configuration error: ${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

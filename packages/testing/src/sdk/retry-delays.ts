/** The parts of the SDK's retry strategies (RetryStrategyV2) and tokens that backoff delays come from. */
interface RetryToken {
  getRetryDelay(): number;
}
interface RetryStrategy {
  refreshRetryTokenForRetry(token: RetryToken, error: unknown): Promise<RetryToken>;
  /** StandardRetryStrategy's backoff: @smithy/core waits its delay inside refreshRetryTokenForRetry. */
  retryBackoffStrategy?: unknown;
  /** AdaptiveRetryStrategy's inner standard strategy. */
  standardRetryStrategy?: RetryStrategy;
}

/** A backoff that never waits, in the shape of @smithy's StandardRetryBackoffStrategy. */
const NO_BACKOFF = Object.freeze({ setDelayBase(): void {}, computeNextBackoffDelay: (): number => 0 });
const UNDELAYED = new WeakSet<object>();

/**
 * Makes a client retry at once: its retry strategy decides as before (which errors are retried, how many
 * attempts, the retry quota) and `$metadata.attempts` counts them, but a retry waits 0 ms instead of the
 * backoff (up to seconds after a throttle). For tests of retry handling at in-process speed.
 */
export function skipRetryDelays(config: object): void {
  if (UNDELAYED.has(config)) return;
  const resolved = config as { retryStrategy?: () => Promise<RetryStrategy> };
  const provide = resolved.retryStrategy;
  if (typeof provide !== 'function') throw new TypeError('skipRetryDelays needs an AWS SDK v3 client config with a retryStrategy provider');
  UNDELAYED.add(config);
  let undelayed: Promise<RetryStrategy> | undefined;
  // One wrapper per client, as the SDK keeps one strategy: its retry quota carries over between sends.
  resolved.retryStrategy = () => (undelayed ??= provide().then(withoutDelays));
}

/**
 * The strategy with every delay at 0: a StandardRetryStrategy reads its backoff from itself, so a wrapper
 * inheriting from it with its own backoff decides alike but waits nothing; its tokens report no delay
 * either (strategies whose caller waits the token's delay). A strategy of the older kind (`retry(next,
 * args)`, no tokens) is left as it is.
 */
function withoutDelays(strategy: RetryStrategy): RetryStrategy {
  if (typeof strategy.refreshRetryTokenForRetry !== 'function') return strategy;
  const wrapper = Object.create(strategy) as RetryStrategy;
  if (strategy.retryBackoffStrategy !== undefined) wrapper.retryBackoffStrategy = NO_BACKOFF;
  if (strategy.standardRetryStrategy !== undefined) wrapper.standardRetryStrategy = withoutDelays(strategy.standardRetryStrategy);
  wrapper.refreshRetryTokenForRetry = async (token, error) => {
    const next = await strategy.refreshRetryTokenForRetry.call(wrapper, token, error);
    return Object.assign(Object.create(next) as RetryToken, { getRetryDelay: () => 0 });
  };
  return wrapper;
}

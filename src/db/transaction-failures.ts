/**
 * The first failure among the statements of a Postgres transaction (src/db/connection.ts,
 * `pipelinedTransaction`). Once a statement fails, Postgres answers every later one with 25P02
 * (in_failed_sql_transaction) until the transaction, or the savepoint it failed in, ends. With
 * statements sent without being awaited one by one (src/db/pipeline.ts), the one a caller awaits is
 * often a later one: its 25P02 would hide what went wrong (a unique violation, a deadlock, a
 * statement timeout, a serialization failure), and code that maps SQLSTATEs to coded errors or
 * retries on some would see the wrong one. So a statement that fails with 25P02 rejects with the
 * first failure instead, and so does the transaction when what it would throw is a 25P02 or the
 * server's refusal to commit. Any other error (one the caller made of a failure, say) is left as is.
 *
 * Statements are numbered as they are sent, the order the server runs them in: the first failure
 * is the one of the lowest number, whichever order their answers' handlers run in (the driver
 * delays a rejection by a few microtasks, a success not). A savepoint rolled back to undoes the
 * failures of the statements sent since it began.
 */
export class TransactionFailures {
  #sent = 0;
  #first: { at: number; error: unknown } | null = null;
  /** Numbers sent between a savepoint (excluded) and the rollback to it (excluded): undone. */
  #undone: { after: number; before: number }[] = [];
  #unanswered = 0;
  #whenAnswered: (() => void)[] = [];

  /**
   * Numbers `query` (a statement sent now) and returns its answer: its failure recorded, or, if it
   * is a 25P02 behind a recorded failure, that failure instead.
   */
  track<T>(query: PromiseLike<T>): { at: number; answer: Promise<T> } {
    const at = this.#sent++;
    this.#unanswered++;
    const answer = Promise.resolve(
      query.then(
        (value) => {
          this.#answered();
          return value;
        },
        (error: unknown) => {
          const failure = this.#failed(at, error);
          this.#answered();
          throw failure;
        },
      ),
    );
    return { at, answer };
  }

  /** The savepoint sent as `savepoint` was rolled back to by the statement sent as `rollback`: what failed in between is undone. */
  rolledBack(savepoint: number, rollback: number): void {
    this.#undone.push({ after: savepoint, before: rollback });
    if (this.#first && savepoint < this.#first.at && this.#first.at < rollback) this.#first = null;
  }

  /** The first failure not undone, or undefined. */
  get first(): unknown {
    return this.#first?.error;
  }

  /** `error`, or the first failure when `error` is (or wraps) a 25P02 that it caused. */
  instead(error: unknown): unknown {
    return this.#first && inFailedTransaction(error) ? this.#first.error : error;
  }

  /** Resolves once every statement sent so far has been answered and its failure recorded. */
  answered(): Promise<void> {
    if (this.#unanswered === 0) return Promise.resolve();
    return new Promise((resolve) => this.#whenAnswered.push(resolve));
  }

  #failed(at: number, error: unknown): unknown {
    if (inFailedTransaction(error)) return this.#first && this.#first.at < at ? this.#first.error : error;
    const undone = this.#undone.some((u) => u.after < at && at < u.before);
    if (!undone && (!this.#first || at < this.#first.at)) this.#first = { at, error };
    return error;
  }

  #answered() {
    if (--this.#unanswered > 0) return;
    // Every statement sent so far is answered: a later failure is numbered after every undone range.
    this.#undone = [];
    const waiting = this.#whenAnswered;
    this.#whenAnswered = [];
    for (const resolve of waiting) resolve();
  }
}

/** SQLSTATE 25P02: the statement was refused because an earlier one of the transaction failed. */
function inFailedTransaction(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '25P02') return true;
  }
  return false;
}

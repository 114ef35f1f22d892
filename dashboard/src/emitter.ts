// A minimal synchronous event emitter: views subscribe, and unsubscribe on destroy.

type Listener<T> = (value: T) => void;

export class Emitter<T> {
  #listeners = new Set<Listener<T>>();
  on(listener: Listener<T>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  emit(value: T): void {
    for (const l of [...this.#listeners]) l(value);
  }
}

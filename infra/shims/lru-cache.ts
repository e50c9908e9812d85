/**
 * Bundle-time stand-in for `mnemonist/lru-cache` (infra/bundling.ts aliases it). The DynamoDB
 * client always makes an endpoint-discovery cache (@aws-sdk/endpoint-cache), built on mnemonist's
 * LRU cache, which brings mnemonist and obliterator (~7 KB minified) into every function; endpoint
 * discovery is off for DynamoDB unless asked for, so the cache stays empty. This is the same LRU
 * on a Map, with the methods EndpointCache calls and the same eviction (least recently read or
 * written first); test/unit/shims.test.ts holds it to mnemonist's on random operations.
 */
export default class LRUCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** The value, without making it the most recent. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  get(key: K): V | undefined {
    if (!this.map.has(key)) return undefined;
    const value = this.map.get(key) as V;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
    return this;
  }

  clear(): void {
    this.map.clear();
  }
}

/** A stable shard number for an id (FNV-1a, 32 bit): the same on every runtime, cheap, and spreads ids evenly. */
export function stableShard(id: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % Math.max(1, shards);
}

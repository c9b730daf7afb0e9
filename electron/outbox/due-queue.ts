/**
 * The messages waiting for their attempt time, soonest first (a binary heap), so finding the
 * next due message costs O(log n) instead of a sort of the whole outbox on every pump. Entries
 * are never updated in place: a message rescheduled is pushed again with a new `seq`, and the
 * old node is skipped when it comes up (`isCurrent` says which nodes still count).
 */
/** `order`: the message's place in the outbox (earlier first among equal times). */
export type DueNode = { id: string; at: number; seq: number; order: number };

export type DueQueue = {
  push(node: DueNode): void;
  /** The soonest node that still counts, left in the queue; stale nodes above it are dropped. */
  peek(): DueNode | undefined;
  pop(): DueNode | undefined;
  /** Drops every node (before pushing the current ones again after a clock change). */
  clear(): void;
  size(): number;
};

/** Soonest `at` first; equal times in outbox order. */
const before = (a: DueNode, b: DueNode) => a.at < b.at || (a.at === b.at && a.order < b.order);

export function createDueQueue(isCurrent: (node: DueNode) => boolean): DueQueue {
  let heap: DueNode[] = [];

  function up(i: number): void {
    const node = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(node, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = node;
  }

  function down(i: number): void {
    const node = heap[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, node)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = node;
  }

  function removeTop(): DueNode | undefined {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      down(0);
    }
    return top;
  }

  return {
    push(node) {
      heap.push(node);
      up(heap.length - 1);
    },
    peek() {
      while (heap.length > 0 && !isCurrent(heap[0]!)) removeTop();
      return heap[0];
    },
    pop() {
      const top = this.peek();
      if (top) removeTop();
      return top;
    },
    clear() {
      heap = [];
    },
    size: () => heap.length,
  };
}

package dev.atomic.engine;

/**
 * Who waits on whom: an edge requester → provider for each request in flight. A new request that would close a
 * cycle (seed 000's circular dependency: a service needs a driver that needs an order from above) fails at once
 * instead of deadlocking. Arrays sized once; a check allocates nothing.
 */
final class WaitForGraph {
    private final int[][] edges;
    private final boolean[] seen;
    private final int[] stack;

    WaitForGraph(int slots) {
        edges = new int[slots][slots];
        seen = new boolean[slots];
        stack = new int[slots];
    }

    void add(int requester, int provider) {
        edges[requester][provider]++;
    }

    void remove(int requester, int provider) {
        if (edges[requester][provider] > 0) {
            edges[requester][provider]--;
        }
    }

    /**
     * The slots on one chain of waits from {@code from} to {@code to}, both included; empty when there is none. Only
     * for naming a cycle once it is refused: it allocates.
     */
    java.util.List<Integer> path(int from, int to) {
        int[] parent = new int[edges.length];
        java.util.Arrays.fill(parent, -1);
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(java.util.List.of(from));
        parent[from] = from;
        while (!queue.isEmpty()) {
            int node = queue.poll();
            if (node == to) {
                java.util.LinkedList<Integer> chain = new java.util.LinkedList<>();
                for (int at = to; at != from; at = parent[at]) {
                    chain.addFirst(at);
                }
                chain.addFirst(from);
                return chain;
            }
            for (int next = 0; next < edges[node].length; next++) {
                if (edges[node][next] > 0 && parent[next] < 0) {
                    parent[next] = node;
                    queue.add(next);
                }
            }
        }
        return java.util.List.of();
    }

    /** True when {@code from} already waits, directly or through others, on {@code to}. */
    boolean reaches(int from, int to) {
        java.util.Arrays.fill(seen, false);
        int top = 0;
        stack[top++] = from;
        seen[from] = true;
        while (top > 0) {
            int node = stack[--top];
            if (node == to) {
                return true;
            }
            int[] out = edges[node];
            for (int next = 0; next < out.length; next++) {
                if (out[next] > 0 && !seen[next]) {
                    seen[next] = true;
                    stack[top++] = next;
                }
            }
        }
        return false;
    }
}

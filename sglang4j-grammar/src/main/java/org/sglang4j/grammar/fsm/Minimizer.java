package org.sglang4j.grammar.fsm;

import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sglang4j.grammar.Deadline;
import org.sglang4j.grammar.GrammarException;

/**
 * Hopcroft's partition refinement, O(n·k·log n) for n states and k byte classes. An explicit dead state completes
 * the automaton; every state that cannot reach acceptance ends up in its block, which is then dropped, so the
 * result has no dead ends. States are renumbered breadth-first from the start.
 */
final class Minimizer {
    private Minimizer() {}

    /** {@code rows[s] = [lo, hi, target, ...]} byte intervals of DFA state s (state 0 is the start). */
    static ByteDfa minimize(List<int[]> rows, boolean[] accepting, Deadline deadline) {
        int n = rows.size();
        int[] classOf = byteClasses(rows);
        int k = classOf[255] + 1;
        int total = n + 1, dead = n;
        int[] delta = new int[total * k];
        Arrays.fill(delta, dead);
        for (int s = 0; s < n; s++) {
            int[] row = rows.get(s);
            for (int j = 0; j < row.length; j += 3) {
                for (int c = classOf[row[j]]; c <= classOf[row[j + 1]]; c++) delta[s * k + c] = row[j + 2];
            }
        }

        // Predecessors by (target, class), compressed: pred[invStart[t*k+c] .. invStart[t*k+c+1]).
        int[] invStart = new int[total * k + 1];
        for (int i = 0; i < delta.length; i++) invStart[delta[i] * k + i % k + 1]++;
        for (int i = 0; i < total * k; i++) invStart[i + 1] += invStart[i];
        int[] pred = new int[delta.length];
        int[] fill = Arrays.copyOf(invStart, total * k);
        for (int i = 0; i < delta.length; i++) pred[fill[delta[i] * k + i % k]++] = i / k;

        // Partition: elems[start[b] .. end[b]) are the members of block b; loc is the inverse of elems.
        int[] elems = new int[total], loc = new int[total], blockOf = new int[total];
        int[] start = new int[total], end = new int[total], marked = new int[total];
        int numBlocks = 0, pos = 0;
        for (int pass = 0; pass < 2; pass++) {
            int first = pos;
            for (int s = 0; s < total; s++) {
                boolean acc = s < n && accepting[s];
                if (acc == (pass == 0)) {
                    elems[pos] = s;
                    loc[s] = pos++;
                }
            }
            if (pos > first) {
                for (int i = first; i < pos; i++) blockOf[elems[i]] = numBlocks;
                start[numBlocks] = first;
                end[numBlocks++] = pos;
            }
        }
        int[] work = new int[total];
        boolean[] inWork = new boolean[total];
        int workLen = 0;
        int smaller = numBlocks == 1 || end[0] - start[0] <= end[1] - start[1] ? 0 : 1;
        work[workLen++] = smaller;
        inWork[smaller] = true;

        int[] splitter = new int[total], touched = new int[total];
        while (workLen > 0) {
            deadline.checkNow("minimizing the automaton");
            int a = work[--workLen];
            inWork[a] = false;
            int m = end[a] - start[a];
            System.arraycopy(elems, start[a], splitter, 0, m);
            for (int c = 0; c < k; c++) {
                int nt = 0;
                for (int i = 0; i < m; i++) {
                    int key = splitter[i] * k + c;
                    for (int j = invStart[key]; j < invStart[key + 1]; j++) {
                        int p = pred[j], b = blockOf[p];
                        int to = start[b] + marked[b], from = loc[p];
                        int other = elems[to];
                        elems[to] = p;
                        loc[p] = to;
                        elems[from] = other;
                        loc[other] = from;
                        if (marked[b]++ == 0) touched[nt++] = b;
                    }
                }
                for (int t = 0; t < nt; t++) {
                    int b = touched[t];
                    int size = end[b] - start[b];
                    if (marked[b] == size) {
                        marked[b] = 0;
                        continue;
                    }
                    int nb = numBlocks++;
                    start[nb] = start[b];
                    end[nb] = start[b] + marked[b];
                    start[b] = end[nb];
                    marked[b] = 0;
                    for (int i = start[nb]; i < end[nb]; i++) blockOf[elems[i]] = nb;
                    if (inWork[b]) {
                        work[workLen++] = nb;
                        inWork[nb] = true;
                    } else {
                        int add = end[nb] - start[nb] <= end[b] - start[b] ? nb : b;
                        work[workLen++] = add;
                        inWork[add] = true;
                    }
                }
            }
        }
        return renumber(blockOf, delta, k, n, accepting, classOf);
    }

    /** Breadth-first numbering of the live blocks from the start block; merges byte classes that became equal. */
    private static ByteDfa renumber(int[] blockOf, int[] delta, int k, int n, boolean[] accepting, int[] classOf) {
        int deadBlock = blockOf[n];
        if (blockOf[0] == deadBlock) throw new GrammarException("the grammar matches no string at all");
        int[] rep = new int[blockOf.length];
        Arrays.fill(rep, -1);
        for (int s = 0; s < blockOf.length; s++) if (rep[blockOf[s]] < 0) rep[blockOf[s]] = s;
        int[] newId = new int[blockOf.length];
        Arrays.fill(newId, -1);
        int[] queue = new int[blockOf.length];
        int qn = 0;
        newId[blockOf[0]] = 0;
        queue[qn++] = blockOf[0];
        for (int qi = 0; qi < qn; qi++) {
            int s = rep[queue[qi]];
            for (int c = 0; c < k; c++) {
                int b = blockOf[delta[s * k + c]];
                if (b != deadBlock && newId[b] < 0) {
                    newId[b] = qn;
                    queue[qn++] = b;
                }
            }
        }
        int[] next = new int[qn * k];
        boolean[] acc = new boolean[qn];
        for (int i = 0; i < qn; i++) {
            int s = rep[queue[i]];
            acc[i] = accepting[s];
            for (int c = 0; c < k; c++) {
                int b = blockOf[delta[s * k + c]];
                next[i * k + c] = b == deadBlock ? -1 : newId[b];
            }
        }
        return mergeClasses(qn, k, next, acc, classOf);
    }

    /** Byte classes whose columns are identical in every state become one class. */
    private static ByteDfa mergeClasses(int numStates, int k, int[] next, boolean[] acc, int[] classOf) {
        Map<IntBuffer, Integer> byColumn = new HashMap<>();
        int[] remap = new int[k];
        for (int c = 0; c < k; c++) {
            int[] col = new int[numStates];
            for (int s = 0; s < numStates; s++) col[s] = next[s * k + c];
            remap[c] = byColumn.computeIfAbsent(IntBuffer.wrap(col), x -> byColumn.size());
        }
        int nk = byColumn.size();
        if (nk == k) return new ByteDfa(numStates, k, classOf, next, acc);
        int[] merged = new int[numStates * nk];
        for (int s = 0; s < numStates; s++) for (int c = 0; c < k; c++) merged[s * nk + remap[c]] = next[s * k + c];
        int[] newClassOf = new int[256];
        for (int b = 0; b < 256; b++) newClassOf[b] = remap[classOf[b]];
        return new ByteDfa(numStates, nk, newClassOf, merged, acc);
    }

    /** Intervals of bytes that no transition boundary separates, numbered 0, 1, ... */
    private static int[] byteClasses(List<int[]> rows) {
        boolean[] boundary = new boolean[257];
        for (int[] row : rows) {
            for (int j = 0; j < row.length; j += 3) {
                boundary[row[j]] = true;
                boundary[row[j + 1] + 1] = true;
            }
        }
        int[] classOf = new int[256];
        int c = 0;
        for (int b = 0; b < 256; b++) {
            if (b > 0 && boundary[b]) c++;
            classOf[b] = c;
        }
        return classOf;
    }
}

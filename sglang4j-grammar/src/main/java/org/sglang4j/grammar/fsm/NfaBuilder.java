package org.sglang4j.grammar.fsm;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.BasicOperations;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sglang4j.grammar.Deadline;
import org.sglang4j.grammar.GrammarException;
import org.sglang4j.grammar.regex.CodePointSet;
import org.sglang4j.grammar.regex.Regex;

/**
 * Builds a (nondeterministic) brics automaton over bytes from a {@link Regex} with {@code BasicAutomata} and
 * {@code BasicOperations} — user text never reaches brics' own regex syntax, where {@code " < > & ~ # @} are
 * operators.
 *
 * <p>brics' operations cannot be interrupted, so before each one the size of its result is computed from the
 * sizes of its (already built) operands and checked against {@code maxStates}; the operations used are linear in
 * that size. A subtree that the tree references more than once (the value schema of a JSON array, which appears
 * in {@code item (, item)*}; every level of {@code json_object} nesting) is built once and minimized with the
 * deadline-checked {@link SubsetConstruction}, so nesting multiplies minimal sizes rather than tree sizes.
 */
public final class NfaBuilder {
    private static final int SHARE_MIN_STATES = 24;

    private record Built(Automaton automaton, long states) {}

    private final Deadline deadline;
    private final long maxStates;
    private final Map<CodePointSet, Built> fragments = new HashMap<>();
    private final Map<Regex, Integer> references = new IdentityHashMap<>();
    private final Map<Regex, Built> shared = new IdentityHashMap<>();

    private NfaBuilder(Deadline deadline, long maxStates) {
        this.deadline = deadline;
        this.maxStates = maxStates;
    }

    /** The byte-level automaton of {@code regex}; throws {@link GrammarException} if it would be too large. */
    public static Automaton build(Regex regex, Deadline deadline, long maxStates) {
        NfaBuilder b = new NfaBuilder(deadline, maxStates);
        b.countReferences(regex);
        return b.build(regex).automaton();
    }

    private void countReferences(Regex r) {
        if (references.merge(r, 1, Integer::sum) > 1) return;
        deadline.check("reading the grammar");
        switch (r) {
            case Regex.Chars c -> { }
            case Regex.Concat c -> c.parts().forEach(this::countReferences);
            case Regex.Alt a -> a.options().forEach(this::countReferences);
            case Regex.Repeat rep -> countReferences(rep.inner());
            case Regex.Intersection in -> in.parts().forEach(this::countReferences);
            case Regex.ExactlyOne one -> one.options().forEach(this::countReferences);
        }
    }

    private Built build(Regex r) {
        Built done = shared.get(r);
        if (done != null) return done;
        deadline.check("building the automaton");
        Built b = switch (r) {
            case Regex.Chars c -> fragments.computeIfAbsent(c.set(), s -> {
                Automaton a = Utf8Sequences.automaton(s);
                return new Built(a, a.getNumberOfStates());
            });
            case Regex.Concat c -> {
                if (c.parts().isEmpty()) yield new Built(BasicAutomata.makeEmptyString(), 1);
                List<Built> parts = new ArrayList<>(c.parts().size());
                for (Regex p : c.parts()) parts.add(build(p));
                long size = check(parts.stream().mapToLong(Built::states).reduce(0, NfaBuilder::add));
                yield new Built(BasicOperations.concatenate(parts.stream().map(Built::automaton).toList()), size);
            }
            case Regex.Alt a -> {
                if (a.options().isEmpty()) yield new Built(BasicAutomata.makeEmpty(), 1);
                List<Built> options = new ArrayList<>(a.options().size());
                for (Regex p : a.options()) options.add(build(p));
                long size = check(options.stream().mapToLong(Built::states).reduce(1, NfaBuilder::add));
                yield new Built(BasicOperations.union(options.stream().map(Built::automaton).toList()), size);
            }
            case Regex.Repeat rep -> repeat(build(rep.inner()), rep.min(), rep.max());
            case Regex.Intersection in -> {
                Built acc = build(in.parts().getFirst());
                for (int i = 1; i < in.parts().size(); i++) {
                    Built next = build(in.parts().get(i));
                    check(mul(acc.states(), next.states()));
                    Automaton a = BasicOperations.intersection(acc.automaton(), next.automaton());
                    acc = new Built(a, a.getNumberOfStates());
                }
                yield acc;
            }
            case Regex.ExactlyOne one -> exactlyOne(one);
        };
        if (references.getOrDefault(r, 1) > 1) {
            if (b.states() >= SHARE_MIN_STATES) b = minimized(b.automaton());
            shared.put(r, b);
        }
        return b;
    }

    /** Each option minus the union of the others (only where they overlap at all). */
    private Built exactlyOne(Regex.ExactlyOne one) {
        List<Built> options = new ArrayList<>();
        for (Regex o : one.options()) options.add(build(o));
        List<Automaton> parts = new ArrayList<>();
        long size = 1;
        for (int i = 0; i < options.size(); i++) {
            Built option = options.get(i);
            List<Automaton> others = new ArrayList<>();
            long othersSize = 1;
            for (int j = 0; j < options.size(); j++) {
                if (j == i) continue;
                others.add(options.get(j).automaton());
                othersSize = add(othersSize, options.get(j).states());
            }
            Automaton rest = BasicOperations.union(others);
            check(mul(option.states(), othersSize));
            if (BasicOperations.isEmpty(BasicOperations.intersection(option.automaton(), rest))) {
                parts.add(option.automaton());
                size = add(size, option.states());
                continue;
            }
            Built complement = complement(rest);
            check(mul(option.states(), complement.states()));
            Automaton exclusive = BasicOperations.intersection(option.automaton(), complement.automaton());
            parts.add(exclusive);
            size = add(size, exclusive.getNumberOfStates());
        }
        return new Built(BasicOperations.union(parts), check(size));
    }

    /** Every byte string {@code a} rejects (invalid UTF-8 included; callers intersect with a UTF-8 language). */
    private Built complement(Automaton a) {
        ByteDfa dfa;
        try {
            dfa = SubsetConstruction.minimalDfa(a, deadline, (int) Math.min(Integer.MAX_VALUE, maxStates));
        } catch (GrammarException e) {
            if (!BasicOperations.isEmpty(a)) throw e;
            return new Built(BasicAutomata.makeAnyString(), 1);
        }
        return toBrics(dfa, true);
    }

    private Built repeat(Built inner, int min, int max) {
        Automaton a = inner.automaton();
        if (BasicOperations.isEmpty(a)) return new Built(min == 0 ? BasicAutomata.makeEmptyString() : BasicAutomata.makeEmpty(), 1);
        if (a.getInitialState().isAccept()) {
            // X{m,n} with ε ∈ X equals (X−ε){0,n}; brics' copies of a nullable X would chain accept states
            // through ε-closures and grow quadratically.
            a = withoutEmptyString(a);
            min = 0;
            if (BasicOperations.isEmpty(a)) return new Built(BasicAutomata.makeEmptyString(), 1);
        }
        long copies = max == Regex.UNBOUNDED ? min + 1L : Math.max(1, max);
        long size = check(add(1, mul(inner.states(), copies)));
        Automaton r;
        if (max == Regex.UNBOUNDED) r = min == 0 ? BasicOperations.repeat(a) : BasicOperations.repeat(a, min);
        else r = BasicOperations.repeat(a, min, max);
        return new Built(r, size);
    }

    private long check(long states) {
        if (states > maxStates) {
            throw new GrammarException("grammar too complex: its automaton would need about " + states
                    + " states (limit " + maxStates + "); reduce counted repetitions such as {1000}, string length "
                    + "bounds, array sizes or nesting");
        }
        return states;
    }

    /** Determinize + minimize with deadline checks, back as a deterministic brics automaton. */
    private Built minimized(Automaton a) {
        try {
            return toBrics(SubsetConstruction.minimalDfa(a, deadline, (int) Math.min(Integer.MAX_VALUE, maxStates)), false);
        } catch (GrammarException e) {
            if (BasicOperations.isEmpty(a)) return new Built(BasicAutomata.makeEmpty(), 1);
            throw e;
        }
    }

    /** The DFA as a brics automaton; {@code complement} adds an accepting sink and flips acceptance. */
    private static Built toBrics(ByteDfa dfa, boolean complement) {
        int n = dfa.numStates();
        State[] states = new State[complement ? n + 1 : n];
        for (int s = 0; s < states.length; s++) {
            states[s] = new State();
            states[s].setAccept(s == n || dfa.isAccepting(s) != complement);
        }
        if (complement) states[n].addTransition(new Transition((char) 0, (char) 255, states[n]));
        for (int s = 0; s < n; s++) {
            int b = 0;
            while (b < 256) {
                int t = dfa.step(s, b), e = b;
                while (e + 1 < 256 && dfa.step(s, e + 1) == t) e++;
                if (t >= 0) states[s].addTransition(new Transition((char) b, (char) e, states[t]));
                else if (complement) states[s].addTransition(new Transition((char) b, (char) e, states[n]));
                b = e + 1;
            }
        }
        Automaton out = new Automaton();
        out.setInitialState(states[0]);
        out.setDeterministic(true);
        return new Built(out, states.length);
    }

    /** A copy of {@code a} that rejects the empty string: a fresh non-accepting start with the same exits. */
    private static Automaton withoutEmptyString(Automaton a) {
        Automaton copy = a.clone();
        State start = new State();
        for (Transition t : copy.getInitialState().getTransitions()) start.addTransition(new Transition(t.getMin(), t.getMax(), t.getDest()));
        copy.setInitialState(start);
        copy.setDeterministic(false);
        return copy;
    }

    private static long add(long a, long b) {
        return Math.min(Long.MAX_VALUE / 4, a + b);
    }

    private static long mul(long a, long b) {
        return a == 0 || b == 0 ? 0 : a > Long.MAX_VALUE / 4 / b ? Long.MAX_VALUE / 4 : a * b;
    }
}

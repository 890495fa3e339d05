package dev.captioner.decoder.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The state of a running search and the memory it holds, so that memory stays flat over the steps.
 *
 * <p>On DJL's PyTorch engine an op's result lands in the manager of the array it is called on. Each
 * step therefore runs in a fresh scope ({@link #open}) to which the state's arrays and the step's
 * inputs are temporarily attached: everything the step computes lands there. {@link #commit} moves
 * the arrays of the next state into a manager of their own and closes the scope and the previous
 * state's manager, freeing the rest. Arrays the caller owns (the features, and a grid a state
 * carries unchanged) go back to the caller's manager untouched.
 */
final class ScopedState<S> implements AutoCloseable {
    private final SearchModel<S> model;
    private final NDManager root;
    private NDManager owner;
    private S state;
    private List<NDArray> held = List.of();
    private Set<NDArray> attached = identitySet(List.of());

    /** A search's memory: a sub-manager of {@code parent}, closed by {@link #close}. */
    ScopedState(SearchModel<S> model, NDManager parent) {
        this.model = model;
        this.root = parent.newSubManager();
        this.owner = root.newSubManager();
    }

    S state() {
        return state;
    }

    /** The search's own manager, for small arrays that live as long as the search. */
    NDManager root() {
        return root;
    }

    /** A scope for one step: the state's arrays and {@code inputs} (null entries skipped) are attached to it until it closes. */
    NDManager open(NDArray... inputs) {
        NDManager scope = root.newSubManager();
        List<NDArray> attach = new ArrayList<>(held);
        for (NDArray input : inputs) {
            if (input != null) {
                attach.add(input);
            }
        }
        List<NDArray> distinct = distinct(attach);
        scope.tempAttachAll(distinct.toArray(new NDArray[0]));
        attached = identitySet(distinct);
        return scope;
    }

    /** Makes {@code next} the state, keeping its arrays; closes {@code scope} and frees the previous state. */
    void commit(NDManager scope, S next) {
        NDManager nextOwner = root.newSubManager();
        List<NDArray> arrays = distinct(model.arrays(next));
        for (NDArray array : arrays) {
            if (!attached.contains(array) && array.getManager() == scope) {
                array.attach(nextOwner); // made in this step
            }
        }
        scope.close(); // the previous state's arrays and the inputs go back where they came from
        for (NDArray array : arrays) {
            if (array.getManager() == owner) {
                array.attach(nextOwner); // carried over unchanged from the previous state
            }
        }
        owner.close();
        owner = nextOwner;
        state = next;
        held = arrays;
    }

    @Override
    public void close() {
        root.close();
    }

    private static List<NDArray> distinct(List<NDArray> arrays) {
        Set<NDArray> seen = identitySet(List.of());
        List<NDArray> out = new ArrayList<>(arrays.size());
        for (NDArray array : arrays) {
            if (seen.add(array)) {
                out.add(array);
            }
        }
        return out;
    }

    private static Set<NDArray> identitySet(List<NDArray> arrays) {
        Set<NDArray> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(arrays);
        return set;
    }
}

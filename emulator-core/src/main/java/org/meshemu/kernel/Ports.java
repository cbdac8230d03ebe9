package org.meshemu.kernel;

import java.util.List;

/**
 * The ports of a component kind, declared as data: inputs are addressed by their position in
 * {@code inputs}, outputs by {@link OutPort#index()}, which must equal their position.
 */
public record Ports<M>(List<InPort<?, M>> inputs, List<OutPort<?>> outputs) {
    public Ports {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).index() != i) {
                throw new IllegalArgumentException("output port '" + outputs.get(i).name()
                        + "' has index " + outputs.get(i).index() + " but is declared at position " + i);
            }
        }
    }

    int inputIndex(String name) {
        for (int i = 0; i < inputs.size(); i++) if (inputs.get(i).name().equals(name)) return i;
        return -1;
    }

    int outputIndex(String name) {
        for (int i = 0; i < outputs.size(); i++) if (outputs.get(i).name().equals(name)) return i;
        return -1;
    }
}

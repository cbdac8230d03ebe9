package org.meshemu.noc;

import java.util.List;
import org.meshemu.wire.WireTypes;

/** What the NoC's links and routers send each other: packets handed to links, heads, flits and credits. */
public final class NocWireTypes implements WireTypes {
    @Override
    public List<Class<?>> types() {
        return List.of(Link.Arrive.class, Link.Head.class, Link.Credit.class, VcRouter.Flit.class, VcRouter.CreditReturn.class);
    }
}

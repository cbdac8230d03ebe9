package org.meshemu.scenario;

/**
 * A section of the scenario document owned by the module that implements it: its path (such as
 * {@code hardware.noc}) and the record it binds to, validated by that record's constructor. The
 * module also ships the section's commented defaults in its {@value ScenarioLoader#MODULE_DEFAULTS}
 * (one file per module, laid together under every scenario). Sections are a {@link Registry}:
 * a record declares {@code public static final class Section extends org.meshemu.scenario.Section<Record>}
 * and its module lists that class in {@code META-INF/services/org.meshemu.scenario.Section}.
 *
 * <p>The kernel binds the hardware sections it finds without knowing them; a module reads its own
 * with {@link Scenario.Hardware#get(Class)}.
 */
public abstract class Section<T extends Record> implements Named {
    private final String path;
    private final Class<T> type;

    protected Section(String path, Class<T> type) {
        if (!path.startsWith(HARDWARE) || path.indexOf('.', HARDWARE.length()) >= 0) {
            throw new IllegalArgumentException("a section is a hardware.<name> path, got " + path);
        }
        this.path = path;
        this.type = type;
    }

    static final String HARDWARE = "hardware.";

    /** The section's path in the scenario document. */
    @Override
    public final String name() { return path; }

    /** The key under {@code hardware}. */
    public final String key() { return path.substring(HARDWARE.length()); }

    public final Class<T> type() { return type; }

    /**
     * Checks the bound section against the rest of the hardware once every section is bound (what
     * its own record cannot see); throws {@link FieldException} naming a field of this section
     * ("" for the section as a whole). By default nothing.
     */
    public void check(T bound, Scenario.Hardware hardware) {}

    /** Every section registered on the class path, by path. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final Registry<Section<?>> REGISTRY = (Registry) Registry.of(Section.class, "hardware");
}

package org.meshemu.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.meshemu.aicore.Program;
import org.meshemu.kernel.Component;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Ports;
import org.meshemu.kernel.Work;
import org.meshemu.report.RunReport;
import org.meshemu.tensor.Tensor;
import org.meshemu.tensor.Tile;

/**
 * A workload mapped onto the hardware.
 *
 * @param programs  the program of each core, by network endpoint
 * @param banks     the tiles resident in each bank before the run, by bank index
 *                  (core * banksPerCore + bank), keyed by address
 * @param outputs   where each output tensor's tiles will be written
 * @param reference the same outputs computed by plain Java, independently of the mapping; null in
 *                  timing mode, where there are no numbers to compare
 * @param generation turns the components' reports into the report's generation section (TTFT, TPOT,
 *                  breakdowns); null for workloads that generate no tokens
 * @param endpoints what sits at each network endpoint: AI cores running {@code programs}, or
 *                  another component (a traffic generator)
 * @param section   the workload's own report section, or null for none
 */
public record Plan(List<Program> programs, List<Map<Long, Tile>> banks, List<Output> outputs, Supplier<List<Tensor>> reference,
                   Function<List<ComponentReport>, RunReport.Generation> generation, Endpoints endpoints, Section section) {
    public Plan {
        programs = List.copyOf(programs);
        banks = List.copyOf(banks);
        outputs = List.copyOf(outputs);
        java.util.Objects.requireNonNull(endpoints, "endpoints");
        if (endpoints instanceof Custom && !(programs.isEmpty() && banks.isEmpty())) {
            throw new IllegalArgumentException("a plan with custom endpoints has no programs and no banks");
        }
    }

    /** A plan of AI cores running programs. */
    public Plan(List<Program> programs, List<Map<Long, Tile>> banks, List<Output> outputs, Supplier<List<Tensor>> reference) {
        this(programs, banks, outputs, reference, null, new Cores(), null);
    }

    /** A plan of AI cores running programs that generate tokens. */
    public Plan(List<Program> programs, List<Map<Long, Tile>> banks, List<Output> outputs, Supplier<List<Tensor>> reference,
                Function<List<ComponentReport>, RunReport.Generation> generation) {
        this(programs, banks, outputs, reference, generation, new Cores(), null);
    }

    /**
     * The run's length, known before it runs, or null: cores run each instruction of their programs once (a skipped
     * block counts as run), so their length is the programs' instructions; custom endpoints declare theirs.
     */
    public Work work() {
        return switch (endpoints) {
            case Cores c -> {
                long instructions = programs.stream().mapToLong(Program::size).sum();
                yield instructions == 0 ? null : new Work(instructions, "instructions", "core");
            }
            case Custom c -> c.work();
        };
    }

    /** A plan whose endpoints are {@code custom} components: no programs, no banks, no outputs. */
    public static Plan of(Custom custom) {
        return new Plan(List.of(), List.of(), List.of(), null, null, custom, null);
    }

    /** This plan with the workload's report section. */
    public Plan withSection(Section section) {
        return new Plan(programs, banks, outputs, reference, generation, endpoints, section);
    }

    /**
     * A report section a workload owns: {@code build} turns the components' reports (cores first, in
     * endpoint order) and the run's simulated time into a record, which the report writes under {@code name}
     * (docs/REPORT.md defines its figures). The typed sections (generation, noc) predate this hook.
     */
    public record Section(String name, java.util.function.BiFunction<List<ComponentReport>, Long, Object> build) {}

    /**
     * What the assembler builds at each network endpoint. The choice is the workload's, so a new
     * kind of endpoint needs no change to the assembler.
     */
    public sealed interface Endpoints permits Cores, Custom {}

    /** AI cores running {@link Plan#programs}, each with its DRAM banks holding {@link Plan#banks}. */
    public record Cores() implements Endpoints {}

    /**
     * Components of kind {@code kind} with {@code ports} (an input and an output named "net", no
     * memory), {@code factory} making the one at each endpoint; no DRAM banks are built. {@code work}:
     * the sum of the components' {@link Component#workSoFar()} at the end, null if unknown.
     */
    public record Custom(String kind, Ports<?> ports, IntFunction<? extends Component<?>> factory, Work work) implements Endpoints {}

    /** An output tensor of rows x cols, assembled from tiles written into banks; {@code ints}: int32 values (token ids). */
    public record Output(String name, int[] shape, int rows, int cols, List<Placed> tiles, boolean ints) {
        public Output(String name, int[] shape, int rows, int cols, List<Placed> tiles) {
            this(name, shape, rows, cols, tiles, false);
        }
    }

    /** Output tile whose top-left element is (row, col), written at {@code address} of bank {@code bank}. */
    public record Placed(int bank, long address, int row, int col) {}

    /**
     * Builds the output tensors from what the banks hold after the run, or an empty list if the
     * tiles carry no numbers (timing mode).
     */
    public List<Tensor> assemble(IntFunction<Map<Long, Tile>> bankMemory) {
        List<Tensor> tensors = new ArrayList<>();
        for (Output o : outputs) {
            float[] values = new float[o.rows() * o.cols()];
            for (Placed p : o.tiles()) {
                Tile t = bankMemory.apply(p.bank()).get(p.address());
                if (t == null) throw new IllegalStateException("output " + o.name() + ": bank " + p.bank() + " has nothing at " + p.address());
                if (!t.hasData()) return List.of();
                float[] held = t.floats();
                for (int r = 0; r < t.rows(); r++) {
                    System.arraycopy(held, r * t.cols(), values, (p.row() + r) * o.cols() + p.col(), t.cols());
                }
            }
            if (o.ints()) {
                int[] ids = new int[values.length];
                for (int i = 0; i < ids.length; i++) ids[i] = (int) values[i];
                tensors.add(Tensor.ofInts(o.name(), o.shape(), ids));
            } else {
                tensors.add(Tensor.ofFloats(o.name(), o.shape(), values));
            }
        }
        return tensors;
    }
}

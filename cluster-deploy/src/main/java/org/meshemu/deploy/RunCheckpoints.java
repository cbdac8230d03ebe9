package org.meshemu.deploy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.meshemu.kernel.CheckpointSink;
import org.meshemu.kernel.Checkpointing;
import org.meshemu.kernel.ComponentState;
import org.meshemu.scenario.InputException;

/**
 * A run's checkpoints, in {@code <run directory>/checkpoints}: {@code checkpoint-<epoch>.ckpt}, the
 * newest two kept. One file holds the state of every component at one epoch barrier (see
 * {@link Checkpointing}) and everything a resume needs besides the build: the scenario as merged.
 *
 * <p>Format (version {@value #FORMAT}, big-endian): the magic {@code MESHCKPT}; the format version;
 * the scenario's source and merged JSON (each a length and UTF-8 bytes); the epoch of the barrier;
 * the number of components; then parts, each the byte 1, the partition, a length and that many bytes
 * of component records ({@link ComponentState}); then the byte 2 and the run's figures at the
 * barrier (epochs, events, windows, latest time handled); last, the CRC-32C of everything before
 * it. The file is written under a temporary name, forced to disk and renamed, so a checkpoint that
 * exists is complete; a damaged one fails its checksum, and a resume falls back to the one before.
 */
public final class RunCheckpoints implements CheckpointSink {
    static final String DIRECTORY = "checkpoints";
    static final int FORMAT = 2; // 2: a pending event no longer carries a priority
    private static final long MAGIC = 0x4D455348434B5054L; // "MESHCKPT"
    private static final int PART = 1, END = 2;
    private static final int KEEP = 2;

    private final Path directory;
    private final String source;
    private final String scenarioJson;
    private final int components;
    private final Consumer<String> say;
    private final Map<Long, Writing> writing = new HashMap<>(); // on the root's thread only
    // for the report, read after the run
    private volatile int taken;
    private volatile long lastBytes;
    private volatile long stateNanos;

    /** A checkpoint being written: its temporary file, and the stream whose checksum covers it. */
    private record Writing(Path temporary, FileChannel channel, CheckedOutputStream checked, DataOutputStream data, long began) {}

    /** Checkpoints of a run in {@code runDirectory}; {@code say} hears one line per checkpoint written. */
    public RunCheckpoints(Path runDirectory, String source, String scenarioJson, int components, Consumer<String> say) {
        this.directory = runDirectory.resolve(DIRECTORY);
        this.source = source;
        this.scenarioJson = scenarioJson;
        this.components = components;
        this.say = say;
    }

    @Override
    public void part(long epoch, int partition, byte[] records) {
        Writing w = writing.computeIfAbsent(epoch, this::begin);
        try {
            w.data().writeByte(PART);
            w.data().writeInt(partition);
            w.data().writeInt(records.length);
            w.data().write(records);
        } catch (IOException e) {
            throw failed(w.temporary(), e);
        }
    }

    @Override
    public void complete(long epoch, Checkpointing.SoFar soFar, long serialiseNanos) {
        Writing w = writing.remove(epoch);
        Path target = directory.resolve("checkpoint-" + epoch + ".ckpt");
        try {
            w.data().writeByte(END);
            w.data().writeLong(soFar.epochs());
            w.data().writeLong(soFar.events());
            w.data().writeLong(soFar.windows());
            w.data().writeLong(soFar.lastPs());
            w.data().flush();
            long crc = w.checked().getChecksum().getValue();
            DataOutputStream tail = new DataOutputStream(Channels.newOutputStream(w.channel()));
            tail.writeLong(crc);
            tail.flush();
            w.channel().force(true);
            long bytes = w.channel().size();
            w.channel().close();
            Files.move(w.temporary(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            prune();
            lastBytes = bytes;
            stateNanos += serialiseNanos;
            taken++;
            say.accept(String.format("checkpoint       %s: epoch %,d, simulated time %,d ps, %,.1f MiB (state written in %.3f s, file in %.3f s)",
                    target, epoch, soFar.lastPs(), bytes / 1048576.0, serialiseNanos / 1e9, (System.nanoTime() - w.began()) / 1e9));
        } catch (IOException e) {
            throw failed(w.temporary(), e);
        }
    }

    /** The report's section: what this run took, and what it {@code resumed} from (null: a fresh run). */
    public static org.meshemu.report.RunReport.Checkpoints report(int every, RunCheckpoints taken, Loaded resumed) {
        return new org.meshemu.report.RunReport.Checkpoints(every, taken == null ? 0 : taken.taken, taken == null ? 0 : taken.lastBytes,
                taken == null ? 0 : taken.stateNanos / 1e9, resumed == null ? null : resumed.file().toString(),
                resumed == null ? null : resumed.epoch(), resumed == null ? null : resumed.resume().soFar().events());
    }

    /** Deletes checkpoints that never completed (the run ended first); the completed ones stay. */
    public void abandonIncomplete() {
        for (Writing w : writing.values()) {
            try {
                w.channel().close();
                Files.deleteIfExists(w.temporary());
            } catch (IOException ignored) {
                // an incomplete checkpoint has no name a resume would read; a leftover file is harmless
            }
        }
        writing.clear();
    }

    private Writing begin(long epoch) {
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, ".checkpoint-" + epoch + ".", ".tmp");
            FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
            OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16) {
                @Override public void close() throws IOException { flush(); } // the channel stays open until forced
            };
            CheckedOutputStream checked = new CheckedOutputStream(file, new CRC32C());
            DataOutputStream data = new DataOutputStream(checked);
            data.writeLong(MAGIC);
            data.writeInt(FORMAT);
            writeText(data, source);
            writeText(data, scenarioJson);
            data.writeLong(epoch);
            data.writeInt(components);
            return new Writing(temporary, channel, checked, data, System.nanoTime());
        } catch (IOException e) {
            throw failed(temporary == null ? directory : temporary, e);
        }
    }

    private void prune() throws IOException {
        List<Path> all = list(directory);
        for (int i = KEEP; i < all.size(); i++) Files.deleteIfExists(all.get(i));
    }

    private static InputException failed(Path path, IOException e) {
        return new InputException(path.toString(), "cannot write the checkpoint (" + e + "); free space or choose another directory with --out");
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    // ---- reading ----

    /** A checkpoint read back: the file, the scenario it was taken of, and what a resume starts from. */
    public record Loaded(Path file, String source, String scenarioJson, long epoch, Checkpointing.Resume resume) {}

    /** The checkpoint files of a run directory, newest first. */
    static List<Path> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) return List.of();
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+\\.ckpt"))
                    .sorted(Comparator.comparingLong(RunCheckpoints::epochOf).reversed()).toList();
        }
    }

    private static long epochOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring("checkpoint-".length(), name.length() - ".ckpt".length()));
    }

    /**
     * The newest checkpoint of {@code runDirectory} that passes its checksum; {@code say} hears of
     * each one skipped. No checkpoint, or none valid, is an {@link InputException} naming the path.
     */
    public static Loaded newest(Path runDirectory, Consumer<String> say) {
        Path directory = runDirectory.resolve(DIRECTORY);
        List<Path> files;
        try {
            files = list(directory);
        } catch (IOException e) {
            throw new InputException(directory.toString(), "cannot list the checkpoints (" + e + ")");
        }
        if (files.isEmpty()) {
            throw new InputException(runDirectory.toString(), "holds no checkpoint (" + DIRECTORY
                    + "/checkpoint-*.ckpt); a run takes them with --checkpoint-every N");
        }
        List<String> refused = new ArrayList<>();
        for (Path file : files) {
            try {
                return read(file);
            } catch (InputException e) {
                refused.add(e.getMessage());
                say.accept("checkpoint       " + e.getMessage() + "; trying the one before");
            }
        }
        throw new InputException(directory.toString(), "no valid checkpoint: " + String.join("; ", refused));
    }

    /** Reads one checkpoint, after checking its checksum; a damaged file is an {@link InputException} naming it. */
    public static Loaded read(Path file) {
        return read(file, id -> true);
    }

    /** As {@link #read(Path)}, keeping the state of the components {@code kept} accepts (those a node hosts). */
    public static Loaded read(Path file, java.util.function.IntPredicate kept) {
        verify(file);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readLong() != MAGIC) throw new InputException(file.toString(), "is not a meshemu checkpoint");
            int format = in.readInt();
            if (format != FORMAT) {
                throw new InputException(file.toString(), "has checkpoint format " + format + "; this build reads format " + FORMAT);
            }
            String source = readText(in), scenario = readText(in);
            long epoch = in.readLong();
            int components = in.readInt();
            byte[][] stateById = new byte[components][];
            while (true) {
                int tag = in.readByte();
                if (tag == PART) {
                    in.readInt(); // the partition that wrote it: a resume may place components anywhere
                    byte[] records = in.readNBytes(in.readInt());
                    ComponentState.forEach(records, (id, record) -> {
                        if (id >= components) throw new IllegalStateException("component " + id + " of " + components);
                        if (kept.test(id)) stateById[id] = record;
                    });
                } else if (tag == END) {
                    var soFar = new Checkpointing.SoFar(in.readLong(), in.readLong(), in.readLong(), in.readLong());
                    return new Loaded(file, source, scenario, epoch, new Checkpointing.Resume(soFar, stateById, file.toString()));
                } else {
                    throw new IllegalStateException("unknown section " + tag);
                }
            }
        } catch (IOException | IllegalStateException e) {
            throw new InputException(file.toString(), "is damaged (" + e.getMessage() + ")");
        }
    }

    /** Checks the trailing CRC-32C against the bytes before it. */
    private static void verify(Path file) {
        try {
            long size = Files.size(file);
            if (size < 8) throw new InputException(file.toString(), "is truncated (" + size + " bytes)");
            CRC32C crc = new CRC32C();
            try (InputStream checked = new CheckedInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), crc)) {
                byte[] buffer = new byte[1 << 16];
                for (long left = size - 8; left > 0; ) {
                    int n = checked.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) throw new EOFException();
                    left -= n;
                }
            }
            java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(8);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                while (tail.hasRemaining()) if (channel.read(tail, size - 8 + tail.position()) < 0) throw new EOFException();
            }
            long stored = tail.flip().getLong();
            if (stored != crc.getValue()) {
                throw new InputException(file.toString(), "fails its checksum (CRC-32C): the file is damaged or truncated");
            }
        } catch (IOException e) {
            throw new InputException(file.toString(), "cannot be read (" + e + ")");
        }
    }

    private static String readText(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }
}

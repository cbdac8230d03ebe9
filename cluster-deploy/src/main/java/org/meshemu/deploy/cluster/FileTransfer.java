package org.meshemu.deploy.cluster;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Moves files from one JVM of a cluster to another in chunks, pulled by the receiver so that it is
 * never flooded, each file checked on arrival by its length and CRC32C.
 *
 * <h2>Use</h2>
 * <ol>
 *   <li>The side holding the files computes an {@link Offer}: {@link #offer(List, ActorRef)} reads each
 *       {@link Source} once for its length and checksum. The serving actor is {@link #source(List, int)}
 *       (spawn it first, pass its reference to {@code offer}); one source serves any number of receivers
 *       at once, and is stopped by its spawner when no more transfers are wanted.</li>
 *   <li>The offer travels to the other JVM inside a message of its own protocol (write it with
 *       {@link #writeOffer}, read it with {@link #readOffer}); there {@link #receiver(Offer, Path, ActorRef)}
 *       is spawned, which creates the directory, asks for at most {@link #WINDOW} chunks at a time, writes
 *       each file under its {@link FileInfo#name} (a relative path, subdirectories allowed) and sends its
 *       parent one {@link Outcome}: {@link Received} once every file is complete and verified, or
 *       {@link Failed} with a message naming the file, and stops.</li>
 * </ol>
 *
 * <p>A chunk is a message of up to the source's chunk size ({@link #CHUNK_BYTES} by default, 4 MiB):
 * a receiver must be spawned at one of {@link ClusterConfig}'s large-message destinations (a child of
 * a top-level user actor, as a node's run actor is) unless the chunks are below Artery's ordinary
 * frame (256 KiB). Failures: a file the source cannot read (or that ends early), a file whose length
 * or checksum differs from the offer's, a source that stops or goes silent for {@link #IDLE}; the
 * receiver leaves the partial files to its caller (who owns the directory) and reports the first
 * failure only. The messages are registered in {@link WireKryo} (ids 40..).
 */
public final class FileTransfer {
    private FileTransfer() {}

    /** Bytes per chunk by default: far below Artery's 32 MiB large frames, large enough that a chunk's round trip is not the limit. */
    public static final int CHUNK_BYTES = 4 << 20;
    /** Chunks a receiver asks for before the first arrives: enough to keep the link busy during a round trip, few enough to bound memory. */
    public static final int WINDOW = 4;
    /** How long a receiver waits for its next chunk before it fails the transfer. */
    public static final Duration IDLE = Duration.ofSeconds(60);

    /** A file to offer: {@code name}, the path it will have under the receiver's directory; {@code path}, where it is here. */
    public record Source(String name, Path path) {}

    /** A file as offered: its name under the receiver's directory, its length in bytes and its CRC32C. */
    public record FileInfo(String name, long length, int crc32c) {}

    /** Files {@code files} to be fetched from {@code source} in chunks of {@code chunkBytes}. */
    public record Offer(List<FileInfo> files, ActorRef<SourceCommand> source, int chunkBytes) {
        public Offer {
            files = List.copyOf(files);
        }

        public long bytes() {
            return files.stream().mapToLong(FileInfo::length).sum();
        }
    }

    /** The protocol of a source. */
    public sealed interface SourceCommand permits Fetch {}

    /** Asks for {@code length} bytes of file {@code file} (its index in the offer) from {@code offset}. */
    public record Fetch(int file, long offset, int length, ActorRef<ReceiverCommand> replyTo) implements SourceCommand {}

    /** The protocol of a receiver. */
    public sealed interface ReceiverCommand permits Chunk, Unreadable, SourceStopped, Silent {}

    /** Bytes of file {@code file} from {@code offset}. */
    public record Chunk(int file, long offset, byte[] bytes) implements ReceiverCommand {}

    /** The source could not read file {@code file}: {@code why}. */
    public record Unreadable(int file, String why) implements ReceiverCommand {}

    private record SourceStopped() implements ReceiverCommand, NoSerializationVerificationNeeded {}

    private record Silent() implements ReceiverCommand, NoSerializationVerificationNeeded {}

    /** What a receiver tells its parent when it stops. */
    public sealed interface Outcome permits Received, Failed {}

    /** Every file is in {@code directory}, complete and verified. */
    public record Received(Path directory) implements Outcome, NoSerializationVerificationNeeded {}

    /** The transfer failed: {@code message} names the file and why. */
    public record Failed(String message) implements Outcome, NoSerializationVerificationNeeded {}

    /**
     * The offer of {@code files}, served by {@code source}: reads every file once for its length and
     * checksum. A file that cannot be read fails here, naming it.
     */
    public static Offer offer(List<Source> files, ActorRef<SourceCommand> source) {
        return offer(files, source, CHUNK_BYTES);
    }

    /** As {@link #offer(List, ActorRef)}, with the chunk size of {@code source} (as given to {@link #source(List, int)}). */
    public static Offer offer(List<Source> files, ActorRef<SourceCommand> source, int chunkBytes) {
        List<FileInfo> infos = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        for (Source s : files) {
            CRC32C crc = new CRC32C();
            long length = 0;
            try (FileChannel in = FileChannel.open(s.path(), StandardOpenOption.READ)) {
                for (int n; (n = in.read(buffer.clear())) >= 0; ) {
                    crc.update(buffer.flip());
                    length += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + s.path() + " to send it to the nodes: " + e.getMessage(), e);
            }
            infos.add(new FileInfo(s.name(), length, (int) crc.getValue()));
        }
        return new Offer(infos, source, chunkBytes);
    }

    /** The actor serving {@code files} (in the order of the offer) in chunks of at most {@code chunkBytes}. */
    public static Behavior<SourceCommand> source(List<Source> files, int chunkBytes) {
        List<Path> paths = files.stream().map(Source::path).toList();
        return Behaviors.receiveMessage(command -> {
            switch (command) {
                case Fetch f -> f.replyTo().tell(read(paths, f, chunkBytes));
            }
            return Behaviors.same();
        });
    }

    private static ReceiverCommand read(List<Path> paths, Fetch f, int chunkBytes) {
        if (f.file() < 0 || f.file() >= paths.size() || f.length() < 0 || f.length() > chunkBytes) {
            return new Unreadable(f.file(), "no such chunk (" + f.length() + " bytes at " + f.offset() + ")");
        }
        Path path = paths.get(f.file());
        byte[] bytes = new byte[f.length()];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (in.read(buffer, f.offset() + buffer.position()) < 0) {
                    return new Unreadable(f.file(), path + " ends at byte " + (f.offset() + buffer.position())
                            + ", before the " + (f.offset() + f.length()) + " offered");
                }
            }
        } catch (IOException e) {
            return new Unreadable(f.file(), "cannot read " + path + ": " + e);
        }
        return new Chunk(f.file(), f.offset(), bytes);
    }

    /**
     * The actor fetching {@code offer}'s files into {@code directory} (created if needed), telling
     * {@code parent} the {@link Outcome} once.
     */
    public static Behavior<ReceiverCommand> receiver(Offer offer, Path directory, ActorRef<Outcome> parent) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ctx.watchWith(offer.source(), new SourceStopped());
            timers.startSingleTimer(new Silent(), IDLE);
            Receiving r = new Receiving(offer, directory, parent, ctx);
            String failure = r.begin();
            if (failure != null) return r.fail(failure);
            if (r.done()) return r.succeed();
            return Behaviors.receive(ReceiverCommand.class)
                    .onMessage(ReceiverCommand.class, m -> {
                        timers.startSingleTimer(new Silent(), IDLE);
                        String why = r.handle(m);
                        if (why != null) return r.fail(why);
                        return r.done() ? r.succeed() : Behaviors.same();
                    })
                    .onSignal(PostStop.class, s -> {
                        r.close();
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    /** A receiver's state: the file being written, the next byte to ask for and the next to arrive. */
    private static final class Receiving {
        private final Offer offer;
        private final Path directory;
        private final ActorRef<Outcome> parent;
        private final ActorContext<ReceiverCommand> ctx;
        private int file = -1;
        private long asked, arrived;
        private CRC32C crc;
        private FileChannel out;

        Receiving(Offer offer, Path directory, ActorRef<Outcome> parent, ActorContext<ReceiverCommand> ctx) {
            this.offer = offer;
            this.directory = directory;
            this.parent = parent;
            this.ctx = ctx;
        }

        /** Starts on the first file; a failure message, or null. */
        String begin() {
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                return "cannot create " + directory + ": " + e;
            }
            return next();
        }

        /** Closes the current file and opens the next one that is not empty, asking for its first window; a failure, or null. */
        private String next() {
            String closed = close();
            if (closed != null) return closed;
            while (++file < offer.files().size()) {
                FileInfo f = offer.files().get(file);
                Path target = directory.resolve(f.name()).normalize();
                if (!target.startsWith(directory.normalize())) return name() + ": not a path inside the transfer's directory";
                try {
                    Files.createDirectories(target.getParent());
                    out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                } catch (IOException e) {
                    return name() + ": cannot write " + target + ": " + e;
                }
                crc = new CRC32C();
                asked = arrived = 0;
                if (f.length() > 0) {
                    for (int i = 0; i < WINDOW && asked < f.length(); i++) ask();
                    return null;
                }
                String check = verify();
                if (check != null) return check;
            }
            return null;
        }

        private void ask() {
            int length = (int) Math.min(offer.chunkBytes(), offer.files().get(file).length() - asked);
            offer.source().tell(new Fetch(file, asked, length, ctx.getSelf()));
            asked += length;
        }

        /** A failure message, or null. */
        String handle(ReceiverCommand m) {
            return switch (m) {
                case Chunk c -> chunk(c);
                case Unreadable u -> (u.file() >= 0 && u.file() < offer.files().size() ? offer.files().get(u.file()).name() : "file " + u.file())
                        + ": the sender could not read it: " + u.why();
                case SourceStopped s -> (done() ? null : name() + ": the sender " + offer.source().path() + " stopped");
                case Silent s -> name() + ": no data from " + offer.source().path() + " for " + IDLE.toSeconds() + " s";
            };
        }

        private String chunk(Chunk c) {
            if (c.file() != file || c.offset() != arrived) {
                return name() + ": a chunk out of order (file " + c.file() + " at byte " + c.offset() + ", expected byte " + arrived + ")";
            }
            FileInfo f = offer.files().get(file);
            if (arrived + c.bytes().length > f.length()) return name() + ": more than the " + f.length() + " bytes offered";
            try {
                ByteBuffer b = ByteBuffer.wrap(c.bytes());
                while (b.hasRemaining()) out.write(b, arrived + b.position());
            } catch (IOException e) {
                return name() + ": cannot write: " + e;
            }
            crc.update(c.bytes());
            arrived += c.bytes().length;
            if (arrived < f.length()) {
                if (asked < f.length()) ask();
                return null;
            }
            String check = verify();
            return check != null ? check : next();
        }

        /** The current file, complete: its length and checksum against the offer's; a failure, or null. */
        private String verify() {
            FileInfo f = offer.files().get(file);
            if (arrived != f.length() || (int) crc.getValue() != f.crc32c()) {
                return name() + ": received " + arrived + " bytes with CRC32C " + Integer.toHexString((int) crc.getValue())
                        + ", but " + f.length() + " bytes with CRC32C " + Integer.toHexString(f.crc32c()) + " were offered";
            }
            return null;
        }

        boolean done() {
            return file >= offer.files().size();
        }

        private String name() {
            return file < offer.files().size() ? offer.files().get(file).name() : "the transfer";
        }

        Behavior<ReceiverCommand> succeed() {
            String closed = close();
            if (closed != null) return fail(closed);
            parent.tell(new Received(directory));
            return Behaviors.stopped();
        }

        Behavior<ReceiverCommand> fail(String why) {
            close();
            parent.tell(new Failed("file transfer from " + offer.source().path().address() + " failed: " + why));
            return Behaviors.stopped();
        }

        /** Closes the open file, if any; a failure message, or null. */
        String close() {
            if (out == null) return null;
            try {
                out.close();
                return null;
            } catch (IOException e) {
                return name() + ": cannot write: " + e;
            } finally {
                out = null;
            }
        }
    }

    /** Deletes {@code directory} and everything under it; a directory already gone is fine. */
    public static void delete(Path directory) {
        if (!Files.exists(directory)) return;
        try (var paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    /** Writes an offer inside another message's codec. */
    public static void writeOffer(Output out, Offer o, ActorRefResolver resolver) {
        out.writeString(resolver.toSerializationFormat(o.source()));
        out.writeVarInt(o.chunkBytes(), true);
        out.writeVarInt(o.files().size(), true);
        for (FileInfo f : o.files()) {
            out.writeString(f.name());
            out.writeVarLong(f.length(), true);
            out.writeInt(f.crc32c());
        }
    }

    /** Reads what {@link #writeOffer} wrote. */
    public static Offer readOffer(Input in, ActorRefResolver resolver) {
        ActorRef<SourceCommand> source = resolver.resolveActorRef(in.readString());
        int chunkBytes = in.readVarInt(true);
        int n = in.readVarInt(true);
        List<FileInfo> files = new ArrayList<>(n);
        for (int i = 0; i < n; i++) files.add(new FileInfo(in.readString(), in.readVarLong(true), in.readInt()));
        return new Offer(files, source, chunkBytes);
    }

    /** The transfer's wire registrations (ids 40..). */
    static void register(Kryo k, ActorRefResolver resolver) {
        k.register(Fetch.class, WireKryo.codec((out, f) -> {
            out.writeVarInt(f.file(), true);
            out.writeVarLong(f.offset(), true);
            out.writeVarInt(f.length(), true);
            out.writeString(resolver.toSerializationFormat(f.replyTo()));
        }, in -> new Fetch(in.readVarInt(true), in.readVarLong(true), in.readVarInt(true), resolver.resolveActorRef(in.readString()))), 40);
        k.register(Chunk.class, WireKryo.codec((out, c) -> {
            out.writeVarInt(c.file(), true);
            out.writeVarLong(c.offset(), true);
            out.writeVarInt(c.bytes().length, true);
            out.writeBytes(c.bytes());
        }, in -> new Chunk(in.readVarInt(true), in.readVarLong(true), in.readBytes(in.readVarInt(true)))), 41);
        k.register(Unreadable.class, WireKryo.codec((out, u) -> {
            out.writeVarInt(u.file(), true);
            out.writeString(u.why());
        }, in -> new Unreadable(in.readVarInt(true), in.readString())), 42);
    }
}

package dev.spool.process;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A test's rendezvous with tasks running in worker processes, without sleeps on either side: a task holding a
 * {@link Ticket} connects to the test's Unix-domain socket, says which task it is, and blocks reading until the
 * test {@linkplain #releaseAll() releases} it (or never, for a task meant to be stuck). The test learns that a task
 * has started by {@linkplain #awaitArrival() accepting} its connection.
 */
public final class Gate implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final List<SocketChannel> arrived = new ArrayList<>();

    public Gate() {
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "gate-");
            socket = dir.resolve("g.sock");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a ticket for task {@code id} */
    public Ticket ticket(int id) {
        return new Ticket(socket.toString(), id);
    }

    /** Waits for the next task to arrive and returns its id. */
    public int awaitArrival() {
        try {
            SocketChannel channel = server.accept();
            ByteBuffer id = ByteBuffer.allocate(4);
            while (id.hasRemaining()) {
                if (channel.read(id) < 0) {
                    throw new IOException("task went away before saying its id");
                }
            }
            synchronized (arrived) {
                arrived.add(channel);
            }
            return id.flip().getInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets every task that has arrived go on. */
    public void releaseAll() {
        synchronized (arrived) {
            for (SocketChannel channel : arrived) {
                try {
                    channel.write(ByteBuffer.wrap(new byte[] {1}));
                } catch (IOException gone) {
                    // its worker is gone: nothing to release
                }
            }
            arrived.clear();
        }
    }

    @Override
    public void close() {
        try {
            synchronized (arrived) {
                for (SocketChannel channel : arrived) {
                    channel.close();
                }
            }
            server.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Carried by a task into a worker. */
    public record Ticket(String path, int id) implements Serializable {
        /** Tells the test this task has started, then blocks until the test releases it. */
        public void enterAndWait() {
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                channel.write(ByteBuffer.allocate(4).putInt(0, id));
                channel.read(ByteBuffer.allocate(1)); // a byte, or the end: released either way
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

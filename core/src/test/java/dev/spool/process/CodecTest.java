package dev.spool.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.spool.futures.RemoteTaskException;

/** Values, items and errors through the codec, and the serialization filter. */
class CodecTest {
    private final Codec codec = new Codec(getClass().getClassLoader(), SerialFilter.create(SerialFilter.spec(1 << 20, "")));

    private Object roundTrip(Object value) throws Exception {
        Bytes out = new Bytes(16);
        codec.writeValue(out, value);
        return codec.readValue(new ByteReader(out.toByteArray()));
    }

    @Test
    void compactAndSerializedValuesRoundTrip() throws Exception {
        for (Object value : List.of(1, -7L, 3.25, true, false, "x\uDC00y", List.of("a", 2), new ArrayList<>(List.of(1)))) {
            assertThat(roundTrip(value)).isEqualTo(value).hasSameClassAs(value);
        }
        assertThat(roundTrip(null)).isNull();
        assertThat((byte[]) roundTrip(new byte[] {9, 8})).containsExactly(9, 8);
    }

    @Test
    void itemsTravelCompactlyWhenTheyCanAndAsAListOtherwise() throws Exception {
        Bytes compact = new Bytes(16);
        codec.writeItems(compact, List.of(1, 2, 3));
        assertThat(compact.array()[0]).isEqualTo(Codec.T_ITEMS);
        assertThat(codec.readItems(new ByteReader(compact.toByteArray()))).containsExactly(1, 2, 3);
        Bytes mixed = new Bytes(16);
        codec.writeItems(mixed, List.of(1, List.of(2)));
        assertThat(mixed.array()[0]).isEqualTo(Codec.T_SERIAL);
        assertThat(codec.readItems(new ByteReader(mixed.toByteArray()))).containsExactly(1, List.of(2));
    }

    @Test
    void aValueThatCannotBeSerializedLeavesTheBufferAsItWas() {
        Bytes out = new Bytes(16);
        out.writeInt(42);
        assertThatThrownBy(() -> codec.writeValue(out, new Object())).isInstanceOf(NotSerializableException.class);
        assertThat(out.size()).isEqualTo(4);
    }

    @Test
    void anErrorBlockCarriesTheExceptionAndItsDescription() throws Exception {
        Bytes out = new Bytes(16);
        IllegalStateException thrown = new IllegalStateException("outer", new ArithmeticException("inner"));
        codec.writeError(out, thrown);
        Throwable back = codec.readError(new ByteReader(out.toByteArray()));
        assertThat(back).isInstanceOf(IllegalStateException.class).hasMessage("outer")
                .hasCauseInstanceOf(ArithmeticException.class);
        RemoteTaskException described = Codec.describe(thrown);
        assertThat(described.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
        assertThat(described.remoteStackTrace()).contains("Caused by: java.lang.ArithmeticException: inner");
        assertThat(described.getCause()).isInstanceOf(RemoteTaskException.class);
        assertThat(described.getStackTrace()).isEqualTo(thrown.getStackTrace());
    }

    @Test
    void theFilterRejectsGadgetClassesAndHonoursUserPatterns() throws Exception {
        String spec = SerialFilter.spec(1 << 20, "!java.util.ArrayList");
        ObjectInputFilter filter = SerialFilter.create(spec);
        Codec strict = new Codec(getClass().getClassLoader(), filter);
        Bytes out = new Bytes(16);
        codec.writeValue(out, new ArrayList<>(List.of(1)));
        assertThatThrownBy(() -> strict.readValue(new ByteReader(out.toByteArray())))
                .isInstanceOf(InvalidClassException.class).hasMessageContaining("REJECTED");
        assertThat(spec).contains("!org.apache.commons.collections.functors.*", "!com.sun.rowset.JdbcRowSetImpl",
                "maxdepth=1000");
        assertThat(spec.indexOf("!java.util.ArrayList")).isLessThan(spec.indexOf("!org.apache.commons"));
    }
}

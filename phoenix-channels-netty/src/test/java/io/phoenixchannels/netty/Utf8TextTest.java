package io.phoenixchannels.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8TextTest {
  @Test
  void readsAsciiAndMultiByteText() throws Exception {
    for (String text : new String[] {"", "[\"1\",null,\"room:1\",\"tick\",{\"i\":7}]", "héllo wörld", "日本語", "😀 ok"}) {
      assertThat(Utf8Text.decode(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8))).isEqualTo(text);
    }
  }

  @Test
  void readsOnlyTheReadableBytes() throws Exception {
    ByteBuf buffer = Unpooled.copiedBuffer("xx{\"a\":1}", StandardCharsets.UTF_8);
    buffer.skipBytes(2);
    assertThat(Utf8Text.decode(buffer)).isEqualTo("{\"a\":1}");
  }

  @Test
  void refusesInvalidUtf8() {
    byte[][] invalid = {
        {(byte) 0xc3},                           // truncated sequence
        {'a', (byte) 0xff, 'b'},                 // never valid
        {(byte) 0xc0, (byte) 0xaf},              // overlong '/'
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}  // a UTF-16 surrogate
    };
    for (byte[] bytes : invalid) {
      assertThatThrownBy(() -> Utf8Text.decode(Unpooled.wrappedBuffer(bytes)))
          .isInstanceOf(CharacterCodingException.class);
    }
  }
}

package io.vers.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordVectorReaderTest {
  @TempDir Path dir;

  @Test
  void readsFastTextWithHeader() throws IOException {
    Path file = TestFiles.text(dir.resolve("w.vec"), "3 2\nking 0.5 1 \nqueen 0.25 -1e-1 \ncafé 3 4 \n");
    WordVectors wv = WordVectorReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE);
    assertEquals(List.of("king", "queen", "café"), wv.words());
    assertEquals(2, wv.dimension());
    assertArrayEquals(new float[] {0.25f, -0.1f}, wv.vectors()[1]);
    assertEquals(2, wv.indexOf("café").getAsInt());
    assertTrue(wv.indexOf("King").isEmpty(), "words are case-sensitive");
  }

  @Test
  void readsGloveWithoutHeaderWithCrlfAndTabs() throws IOException {
    Path file = TestFiles.text(dir.resolve("g.txt"), "the\t1 2 3\r\n\r\nof 4 5 6\r\n");
    WordVectors wv = WordVectorReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE);
    assertEquals(List.of("the", "of"), wv.words());
    assertArrayEquals(new float[] {4, 5, 6}, wv.vectors()[1]);
  }

  @Test
  void readsGzippedFilesAndStopsAtTheLimit() throws IOException {
    Path file = TestFiles.gzip(dir.resolve("w.vec.gz"),
        "3 2\na 1 2\nb 3 4\nc 5 6\n".getBytes(StandardCharsets.UTF_8));
    WordVectors wv = VectorFiles.readWords(file, 2, ProgressListener.NONE);
    assertEquals(List.of("a", "b"), wv.words());
  }

  @Test
  void wrongNumberOfComponentsNamesLineAndOffset() throws IOException {
    String content = "2 3\nking 1 2 3\nqueen 1 2\n";
    Path file = TestFiles.text(dir.resolve("bad.vec"), content);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> WordVectorReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE));
    assertEquals(content.indexOf("queen"), e.offset());
    assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("'queen' has 2 components"),
        e.getMessage());
  }

  @Test
  void badNumberNamesItsOffset() throws IOException {
    String content = "king 1 2 3\nqueen 1 x2 3\n";
    Path file = TestFiles.text(dir.resolve("bad.txt"), content);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> WordVectorReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE));
    assertEquals(content.indexOf("x2"), e.offset());
    assertTrue(e.getMessage().contains("'x2', not a number"), e.getMessage());
  }

  @Test
  void truncatedFileIsDetectedFromTheHeader() throws IOException {
    Path file = TestFiles.text(dir.resolve("short.vec"), "5 2\na 1 2\nb 3 4\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> WordVectorReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE));
    assertTrue(e.getMessage().contains("announces 5 words but the file ends after 2"), e.getMessage());
  }

  @Test
  void fileWithoutVectorsIsRejected() throws IOException {
    Path file = TestFiles.text(dir.resolve("none.vec"), "\n\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> WordVectorReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE));
    assertTrue(e.getMessage().contains("no word vectors"), e.getMessage());
  }

  @Test
  void wordsAndTokensFromTheFileAreQuotedAndEscapedInMessages() throws IOException {
    String hostile = "evil\u001b[31m\u2028x";
    Path file = TestFiles.text(dir.resolve("hostile.vec"), hostile + " 1 2\n" + hostile + " 3 \u001b[2Jz\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> WordVectorReader.read(file, Integer.MAX_VALUE, ProgressListener.NONE));
    String message = e.getMessage();
    assertTrue(message.contains("'evil\\u001b[31m\\u2028x'"), message);
    assertTrue(message.contains("'\\u001b[2Jz'"), message);
    assertTrue(message.chars().noneMatch(c -> c == 0x1b || c == 0x2028), "no raw escape reaches the message");
  }
}

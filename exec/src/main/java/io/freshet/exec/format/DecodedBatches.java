package io.freshet.exec.format;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchIterator;
import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * The batches a decoding source reads: a subclass feeds records to {@link #decoder} until a batch is full or the
 * input ends; this class counts the malformed records of each batch, releases the decoder and the input when
 * reading fails or is over, and turns an I/O error into an error that says what could not be read. A subclass
 * describes the place of the record being decoded for error messages.
 */
public abstract class DecodedBatches extends BatchIterator implements RecordDecoder.Location {
  protected final RecordDecoder decoder;
  private final LongConsumer malformed;

  protected DecodedBatches(RecordDecoder decoder, LongConsumer malformed) {
    this.decoder = decoder;
    this.malformed = malformed;
  }

  /** Decodes until {@link RecordDecoder#isFull()} (return a flush) or the end (return the last flush, or null). */
  protected abstract Batch decode() throws IOException;

  /** What could not be read, for an I/O error. */
  protected abstract String source();

  /** Releases the input being read, if any. */
  protected void closeInput() throws IOException {
  }

  @Override
  protected final Batch advance() {
    long before = decoder.malformed();
    try {
      return decode();
    } catch (IOException e) {
      close();
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot read " + source() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    } finally {
      malformed.accept(decoder.malformed() - before);
    }
  }

  @Override
  public void close() {
    super.close();
    try {
      closeInput();
    } catch (IOException ignored) {
      // reading is over
    }
    decoder.close();
  }
}

package io.freshet.hadoop.mapreduce.lib.input;

import io.freshet.hadoop.io.LongWritable;
import io.freshet.hadoop.io.Text;
import io.freshet.hadoop.mapreduce.InputFormat;

/** Hadoop's {@code TextInputFormat}: a file's lines, each keyed by the byte offset where it starts. */
public class TextInputFormat extends InputFormat<LongWritable, Text> {
}

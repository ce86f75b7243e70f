package io.freshet.spark.streaming.dstream;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.jsontype.TypeResolverBuilder;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshet.spark.api.java.Optional;
import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import scala.Tuple2;

/**
 * Values as tagged JSON, for what has no Arrow type of its own in a checkpointed RDD ({@link RddCodec}) and for
 * the items of a receiver's write-ahead log ({@link ReceivedDataLog}): {@code {"Long": 3}}, {@code {"Tuple2": [a,
 * b]}}, {@code {"Optional": a}} (Spark's Optional, Freshet's own class), a list, set or map with the name of its class ({@code "as"}), and an object of the program's own class as
 * the JSON of its fields with the class's name. Reading one back makes an object only of a class that
 * {@link StateClasses} allows, and Jackson never picks a class from the JSON: the fields come back as the types the
 * class declares (its own annotations cannot turn on polymorphic typing).
 */
final class TaggedJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setAnnotationIntrospector(new NoPolymorphicTyping())
      .setPolymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build()) // allows no subtype
      .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
      .setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Classes whose objects were seen to read back from their JSON. */
  private static final Set<Class<?>> READABLE = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private TaggedJson() {
  }

  /** Jackson's annotations, but none that reads a class (or a subtype's name) from the JSON. */
  private static final class NoPolymorphicTyping extends JacksonAnnotationIntrospector {
    @Override
    public TypeResolverBuilder<?> findTypeResolver(MapperConfig<?> config, AnnotatedClass ac, JavaType baseType) {
      return null;
    }

    @Override
    public TypeResolverBuilder<?> findPropertyTypeResolver(MapperConfig<?> config, AnnotatedMember am,
        JavaType baseType) {
      return null;
    }

    @Override
    public TypeResolverBuilder<?> findPropertyContentTypeResolver(MapperConfig<?> config, AnnotatedMember am,
        JavaType containerType) {
      return null;
    }
  }

  /** {@code v} as one line of tagged JSON; {@code what} names the stream in errors. */
  static String write(Object v, String what) {
    return toJson(v, what).toString();
  }

  /** The value of a line {@link #write} wrote, read from {@code where} (a file, for errors). */
  static Object read(byte[] json, StateClasses classes, String where) throws IOException {
    return fromJson(MAPPER.readTree(json), classes, where);
  }

  private static JsonNode toJson(Object v, String what) {
    if (v == null) {
      return NODES.nullNode();
    }
    ObjectNode node = NODES.objectNode();
    if (v instanceof String s) {
      node.put("String", s);
    } else if (v instanceof Integer n) {
      node.put("Integer", n);
    } else if (v instanceof Long n) {
      node.put("Long", n);
    } else if (v instanceof Short n) {
      node.put("Short", n);
    } else if (v instanceof Byte n) {
      node.put("Byte", n);
    } else if (v instanceof Double n) {
      node.put("Double", n);
    } else if (v instanceof Float n) {
      node.put("Float", n);
    } else if (v instanceof Boolean b) {
      node.put("Boolean", b);
    } else if (v instanceof Character c) {
      node.put("Character", c.toString());
    } else if (v instanceof Tuple2<?, ?> t) {
      node.putArray("Tuple2").add(toJson(t._1(), what)).add(toJson(t._2(), what));
    } else if (v instanceof Optional<?> o) {
      node.set("Optional", toJson(o.orNull(), what));
    } else if (v instanceof Map<?, ?> m) {
      ArrayNode entries = node.putArray("Map");
      m.forEach((k, x) -> entries.addArray().add(toJson(k, what)).add(toJson(x, what)));
      as(node, v);
    } else if (v instanceof Set<?> set) {
      ArrayNode items = node.putArray("Set");
      set.forEach(x -> items.add(toJson(x, what)));
      as(node, v);
    } else if (v instanceof Collection<?> c) {
      ArrayNode items = node.putArray("List");
      c.forEach(x -> items.add(toJson(x, what)));
      as(node, v);
    } else {
      ObjectNode object = node.putObject("Object");
      object.put("class", v.getClass().getName());
      object.set("fields", objectFields(v, what));
      StateClasses.encoded(v.getClass());
    }
    return node;
  }

  private static void as(ObjectNode node, Object collection) {
    node.put("as", collection.getClass().getName());
    StateClasses.encoded(collection.getClass());
  }

  /**
   * The JSON of an object's fields; the first object of each class is read back at once, so that a class that
   * cannot be restored fails the batch that checkpoints it rather than the restart.
   */
  private static JsonNode objectFields(Object v, String what) {
    try {
      JsonNode fields = MAPPER.valueToTree(v);
      if (READABLE.add(v.getClass())) {
        try {
          MAPPER.treeToValue(fields, v.getClass());
        } catch (IOException | RuntimeException e) {
          READABLE.remove(v.getClass());
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      }
      return fields;
    } catch (IllegalArgumentException e) {
      throw FreshetException.user("The state of " + what + " holds a " + v.getClass().getName() + " that cannot be "
          + "kept in the checkpoint (" + e.getMessage().lines().findFirst().orElse("") + "). Freshet stores such "
          + "objects as the JSON of their fields: give " + v.getClass().getSimpleName() + " a no-argument "
          + "constructor (it may be private), or make it a record");
    }
  }

  /**
   * A new empty collection of the class a value was written from (a TreeMap stays a TreeMap) when that class is
   * allowed and has a public no-argument constructor; else {@code fallback}'s (immutable lists come back as
   * ArrayLists).
   */
  @SuppressWarnings("unchecked")
  private static <C> C sameKind(JsonNode node, Class<?> kind, Supplier<C> fallback, StateClasses classes,
      String where) {
    JsonNode as = node.get("as");
    Class<?> type = as == null ? null : classes.collectionClass(as.asText(), kind, where);
    if (type != null) {
      try {
        return (C) type.getConstructor().newInstance();
      } catch (ReflectiveOperationException | RuntimeException e) {
        // no public no-argument constructor: the fallback kind
      }
    }
    return fallback.get();
  }

  private static Object fromJson(JsonNode node, StateClasses classes, String where) throws IOException {
    if (node == null || node.isNull()) {
      return null;
    }
    Map.Entry<String, JsonNode> e = node.fields().next(); // the tag comes first; "as" after it
    JsonNode v = e.getValue();
    return switch (e.getKey()) {
      case "String" -> v.asText();
      case "Integer" -> v.asInt();
      case "Long" -> v.asLong();
      case "Short" -> (short) v.asInt();
      case "Byte" -> (byte) v.asInt();
      case "Double" -> v.asDouble();
      case "Float" -> (float) v.asDouble();
      case "Boolean" -> v.asBoolean();
      case "Character" -> v.asText().charAt(0);
      case "Tuple2" -> new Tuple2<>(fromJson(v.get(0), classes, where), fromJson(v.get(1), classes, where));
      case "Optional" -> Optional.ofNullable(fromJson(v, classes, where));
      case "Map" -> {
        Map<Object, Object> m = sameKind(node, Map.class, LinkedHashMap::new, classes, where);
        for (JsonNode kv : v) {
          m.put(fromJson(kv.get(0), classes, where), fromJson(kv.get(1), classes, where));
        }
        yield m;
      }
      case "Set" -> {
        Set<Object> s = sameKind(node, Set.class, LinkedHashSet::new, classes, where);
        for (JsonNode x : v) {
          s.add(fromJson(x, classes, where));
        }
        yield s;
      }
      case "List" -> {
        Collection<Object> l = sameKind(node, Collection.class, ArrayList::new, classes, where);
        for (JsonNode x : v) {
          l.add(fromJson(x, classes, where));
        }
        yield l;
      }
      case "Object" -> {
        String name = v.get("class").asText();
        Class<?> type = classes.objectClass(name, where);
        try {
          yield MAPPER.treeToValue(v.get("fields"), type);
        } catch (IOException ex) {
          throw new IOException("a checkpointed " + name + " cannot be read back (" + ex.getMessage().lines()
              .findFirst().orElse("") + "); a class kept in DStream state needs a no-argument constructor, which "
              + "may be private, or to be a record", ex);
        }
      }
      default -> throw new IOException("unknown value kind " + e.getKey());
    };
  }
}

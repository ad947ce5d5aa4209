package dev.portcullis.cedar.difftest;

import java.util.Map;

/** The generator's type of a Cedar value: the "schema-ish" view that keeps expressions mostly well-typed. */
record Ty(Kind kind, String entityType, Ty elem, Map<String, Ty> fields) {
    enum Kind {
        BOOL,
        LONG,
        STRING,
        ENTITY,
        SET,
        RECORD,
        DECIMAL,
        IP,
        DATETIME,
        DURATION
    }

    static final Ty BOOL = of(Kind.BOOL);
    static final Ty LONG = of(Kind.LONG);
    static final Ty STRING = of(Kind.STRING);
    static final Ty DECIMAL = of(Kind.DECIMAL);
    static final Ty IP = of(Kind.IP);
    static final Ty DATETIME = of(Kind.DATETIME);
    static final Ty DURATION = of(Kind.DURATION);

    private static Ty of(Kind k) {
        return new Ty(k, null, null, null);
    }

    static Ty entity(String type) {
        return new Ty(Kind.ENTITY, type, null, null);
    }

    static Ty set(Ty elem) {
        return new Ty(Kind.SET, null, elem, null);
    }

    static Ty record(Map<String, Ty> fields) {
        return new Ty(Kind.RECORD, null, null, fields);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ENTITY -> "Entity<" + entityType + ">";
            case SET -> "Set<" + elem + ">";
            case RECORD -> "Record" + fields;
            default -> kind.name();
        };
    }
}

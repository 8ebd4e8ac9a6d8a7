package io.stratos.lxc.itests.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough JSON reading for tests on pretty-printed API answers, without a JSON library in the probe. */
public final class Json {

    private Json() {
    }

    /** All values of a string field, in document order. */
    public static List<String> strings(String json, String field) {
        List<String> values = new ArrayList<>();
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        while (matcher.find()) {
            values.add(matcher.group(1));
        }
        return values;
    }

    public static long count(String json, String field, String value) {
        return strings(json, field).stream().filter(value::equals).count();
    }
}

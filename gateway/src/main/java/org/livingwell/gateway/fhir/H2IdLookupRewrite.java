package org.livingwell.gateway.fhir;

import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * Lets H2 use an index when HAPI resolves several resource ids at once.
 *
 * <p>Before every FHIR transaction HAPI looks up the ids the bundle updates and refers to with one
 * query, {@code ... from HFJ_RESOURCE r where (r.RES_TYPE=? and r.FHIR_ID=? or r.RES_TYPE=? and
 * r.FHIR_ID=? ...)}. H2 uses no index for an OR of ANDs, so that query reads the whole table: a feed
 * message cost more the bigger the record grew (a sixth of a store consumer's time at a few thousand
 * resources). PostgreSQL plans it with its indexes; H2 does for the same ids written as a join with a
 * {@code VALUES} list, which keeps the parameters in the same order. Any other statement passes unchanged.
 */
public final class H2IdLookupRewrite implements StatementInspector {

    private static final Pattern ID_LOOKUP = Pattern.compile(
            "(select [\\w.,]+) from HFJ_RESOURCE (\\w+) where "
            + "\\((\\2\\.RES_TYPE=\\? and \\2\\.FHIR_ID=\\?(?: or \\2\\.RES_TYPE=\\? and \\2\\.FHIR_ID=\\?)+)\\)");
    private static final String OR = " or ";

    private final LongAdder rewritten = new LongAdder();

    @Override
    public String inspect(String sql) {
        Matcher lookup = ID_LOOKUP.matcher(sql);
        if (!lookup.matches()) {
            return sql;
        }
        rewritten.increment();
        String alias = lookup.group(2);
        int ids = lookup.group(3).split(OR).length;
        StringBuilder rewritten = new StringBuilder(lookup.group(1)).append(" from (values ");
        for (int i = 0; i < ids; i++) {
            rewritten.append(i == 0 ? "(?,?)" : ",(?,?)");
        }
        return rewritten.append(") lw_id(res_type,fhir_id) join HFJ_RESOURCE ").append(alias)
                .append(" on ").append(alias).append(".RES_TYPE=lw_id.res_type and ")
                .append(alias).append(".FHIR_ID=lw_id.fhir_id").toString();
    }

    /** How many look-ups were rewritten: none after a HAPI upgrade means HAPI's query changed shape. */
    public long rewritten() {
        return rewritten.sum();
    }
}

package org.livingwell.routes.trust;

import ca.uhn.hl7v2.model.Message;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.trust.hl7.Hl7Header;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;

/**
 * Every message type the trust's HL7 v2 feed takes, one listener for all: picks the translator by MSH-9 (ADT to
 * {@link AdtTranslator}, REF to {@link RefTranslator}).
 */
public final class TrustFeedTranslator {

    private final AdtTranslator adt = new AdtTranslator();
    private final RefTranslator ref = new RefTranslator();

    /** Whether {@link #translate} handles this message type; the listener refuses others (AR) up front. */
    public boolean supports(Hl7Header header) {
        return adt.supports(header) || ref.supports(header);
    }

    /** Why a message type is refused, for the answer's ERR. */
    public String whyNotSupported(Hl7Header header) {
        if (ref.isStatusQuery(header)) {
            return "REF^I15 is a referral status query; this feed applies referrals (REF^I12, I13, I14) and answers no queries";
        }
        return "message type " + header.type() + " is not supported on this feed";
    }

    /**
     * What the message does to the shared record.
     *
     * @throws Hl7TranslationException if the type is unsupported or the content unusable
     */
    public RecordChange translate(Message message) {
        return ref.supports(Hl7Header.read(message)) ? ref.translate(message) : adt.translate(message);
    }
}

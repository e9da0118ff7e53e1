package org.livingwell.gateway;

/** The shared-record contract on the default database: H2 in file mode under the data directory. */
class SharedRecordH2IT extends SharedRecordContract {
}

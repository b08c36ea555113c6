-- Presence relationships across XMPP and SIP: the durable state Parley restores after a restart.
create table relationship (
    watcher     varchar(512) not null,
    presentity  varchar(512) not null,
    direction   varchar(32)  not null,
    state       varchar(16)  not null,
    updated_at  timestamp    not null,
    primary key (watcher, presentity)
);
create index relationship_presentity on relationship (presentity);

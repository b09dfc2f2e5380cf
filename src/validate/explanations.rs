//! The long explanation of each rule, shown by `drplan rules ID` and in the app when a finding
//! surprises the architect: what the rule checks, why it matters, what the source says, and how
//! to fix or accept it. Each rule of the catalog takes its own by name (`Rule::explanation`).

/// ADDR-CIDR-INVALID
pub(super) const ADDR_CIDR_INVALID: &str = "Every prefix in the plan (network address spaces, subnets and route destinations) \
            must be a valid CIDR prefix whose host bits are zero: 192.168.1.0/24 is a network prefix, 192.168.1.7/24 \
            is an address written with a mask. The rule reports prefixes that do not parse and prefixes with host \
            bits set, and names the network address you probably meant.\n\n\
            This is a general IP fact (RFC 4632) rather than a rule from the articles, but they show how easily the \
            slip happens: \"VM connectivity after failover to a secondary site\" describes its subnet failover \
            example as 192.168.1.0/24 and then, in the same example, writes 192.168.0.1/24. A planner that silently \
            truncated such a prefix could compute overlaps and routes for a range the architect never intended.\n\n\
            To fix it, write the network address the finding suggests, or correct the prefix length if the address \
            was right and the mask wrong. This is an error and cannot be accepted: every later rule reasons on the \
            prefix as written.";

/// ADDR-SUBNET-OUTSIDE
pub(super) const ADDR_SUBNET_OUTSIDE: &str = "A subnet's prefix must lie wholly inside one of the address prefixes of its \
            network. The rule reports a subnet that falls outside the network's address space, including one that \
            straddles two of its prefixes without fitting inside either (a /23 across two adjacent /24 prefixes).\n\n\
            This is a general IP and Azure fact rather than a rule from the articles: Azure refuses to create a \
            subnet outside its virtual network's address space, and routers would send such a range elsewhere. It \
            matters for disaster recovery because, as \"Retain IP addresses when failing over Azure virtual machines \
            to another Azure region\" explains, Site Recovery mimics the source network and subnet structure on the \
            target, so a subnet that cannot exist breaks the mapping, and every rule about retained addresses assumes \
            subnets sit inside their network.\n\n\
            To fix it, change the subnet prefix to one inside the network, or add a prefix that contains it to the \
            network's address space. This is an error and cannot be accepted.";

/// ADDR-SUBNET-OVERLAP
pub(super) const ADDR_SUBNET_OVERLAP: &str = "Within one network no two subnets may share an address. The rule reports every pair \
            of subnets of the same network whose prefixes overlap, including a subnet wholly inside another \
            (10.1.1.0/24 and 10.1.0.0/16 as two subnets of one VNet).\n\n\
            This is a general IP fact, enforced by Azure when a subnet is created and by any router that must decide \
            which interface owns an address. The failover reasoning depends on it too: a subnet failover moves a \
            whole subnet between sites, as \"VM connectivity after failover to a secondary site\" explains, and the \
            planner must know unambiguously which subnet each machine and address belongs to before it can say what \
            moves, which routes change and which target addresses are free.\n\n\
            To fix it, give each subnet its own range inside the network's address space, shrinking or splitting one \
            of them; if the two were meant to be one subnet, merge them and move their machines into it. This is an \
            error and cannot be accepted.";

/// ADDR-IP-OUTSIDE-SUBNET
pub(super) const ADDR_IP_OUTSIDE_SUBNET: &str = "Every machine and network virtual appliance has an address in a subnet, and the \
            rule checks that the address can actually be used there. It reports an address outside the subnet's \
            prefix; the network or broadcast address of an IPv4 subnet (/30 or shorter); and, in an Azure virtual \
            network, the addresses Azure reserves: the first four (network address, default gateway, two for Azure \
            DNS) and the last address of every subnet.\n\n\
            The first part is a general IP fact, the reserved addresses an Azure fact. Both matter at failover: \
            \"Retain IP addresses when failing over Azure virtual machines to another Azure region\" explains that \
            Site Recovery tries to give the target VM the same private IP, which only works if that address is usable \
            in the target subnet; in an Azure 10.1.1.0/24, addresses 10.1.1.0 to 10.1.1.3 and 10.1.1.255 never \
            are.\n\n\
            To fix it, give the machine a free address inside the subnet that the subnet does not reserve, or move it \
            to the subnet that contains its address. This is an error and cannot be accepted.";

/// ADDR-IP-DUPLICATE
pub(super) const ADDR_IP_DUPLICATE: &str = "The rule reports two or more machines or appliances with the same IP address in one \
            network, whichever of its subnets they were drawn in. Within a network an address identifies exactly one \
            interface; with two holders, one is unreachable or traffic alternates between them.\n\n\
            This is a general IP fact, but it has a disaster recovery side. \"Retain IP addresses when failing over \
            Azure virtual machines to another Azure region\" notes that Site Recovery gives a failed-over VM its \
            source address only if no Azure resource or replicated VM already holds it on the target; duplicates in \
            the source design become conflicts on the target, where one machine silently receives another address. \
            The rule RET-TARGET-TAKEN checks the target side of the same problem.\n\n\
            To fix it, give each machine its own address. If the two entries are really one machine drawn twice, \
            delete one of them. This is an error and cannot be accepted.";

/// ADDR-GATEWAY-SUBNET
pub(super) const ADDR_GATEWAY_SUBNET: &str = "An Azure virtual network that holds a gateway (VPN or ExpressRoute) must have a \
            subnet named exactly GatewaySubnet. The rule reports a VNet with at least one gateway and no subnet of \
            that name: Azure deploys gateway instances only into that subnet, so without it the gateway cannot be \
            created. This is an Azure fact rather than a rule from the articles.\n\n\
            It matters on both sides of a failover. \"Integrate Azure ExpressRoute with disaster recovery for Azure \
            VMs\" shows a hub network with an NVA subnet 10.10.10.0/25 and a gateway subnet 10.10.10.128/25 holding \
            the ExpressRoute gateway, and lists creating an ExpressRoute gateway in the target hub as a failover \
            step; if the recovery hub has no GatewaySubnet, that step fails in the middle of a disaster.\n\n\
            To fix it, add a subnet named GatewaySubnet inside the network's address space, /27 or larger, and keep \
            machines out of it. This is an error and cannot be accepted.";

/// CONN-OVERLAP
pub(super) const CONN_OVERLAP: &str = "The rule reports a site-to-site VPN or a VNet peering, active now or prepared for \
            failover, between two networks whose address spaces overlap. Neither kind of connection can be made \
            between overlapping ranges: a router cannot tell on which side an overlapping address lives, and Azure \
            rejects such a peering outright.\n\n\
            \"Retain IP addresses when failing over Azure virtual machines to another Azure region\" builds its \
            design on this. Company A keeps the same address space in its Recovery VNet to retain IPs, and places \
            replica infrastructure such as domain controllers and SQL Always On nodes in a separate VNet with a \
            different range (10.2.0.0/16); the article says that this different address space is what makes the \
            site-to-site VPN between the regions possible, which the same address space at both ends would \
            prevent.\n\n\
            To fix it, give one of the two networks a different address space (typically the one holding replica \
            infrastructure), or remove the connection and reach the network another way. This is an error and cannot \
            be accepted.";

/// CIRCUIT-OVERLAP
pub(super) const CIRCUIT_OVERLAP: &str = "The rule reports two networks with overlapping address spaces that are both connected \
            to the same ExpressRoute circuit at the same time. Only connections active now count; a connection \
            prepared to be made during failover does not. The typical case is a source VNet and a recovery VNet that \
            mirrors its address space, both attached to one circuit.\n\n\
            \"Integrate Azure ExpressRoute with disaster recovery for Azure VMs\" states that two VNets with \
            overlapping address space cannot be connected to the same ExpressRoute circuit, and that source and \
            target can be connected to one circuit simultaneously only when the target uses a different address \
            space. On-premises routers would learn the same prefixes from both networks and could not choose between \
            them.\n\n\
            To fix it, mark the recovery connection as prepared, so that the recovery plan disconnects the source \
            connection first and then connects the target, or give the recovery network a different address space and \
            the machines new target IPs. This is an error and cannot be accepted.";

/// CIRCUIT-SAME-LOCATION-SAME-VNET
pub(super) const CIRCUIT_SAME_LOCATION_SAME_VNET: &str = "The rule reports a network connected to two ExpressRoute circuits that \
            were created at the same peering location, for example two circuits at Hong Kong both attached to the \
            recovery hub VNet.\n\n\
            \"Integrate Azure ExpressRoute with disaster recovery for Azure VMs\" describes the two-circuit design \
            with a single peering location: it protects against the failure of the primary circuit and allows \
            simultaneous connections from on-premises to the source VNet over the primary circuit and to the target \
            VNet over the secondary one. It also says plainly that you cannot connect both circuits to the same VNet \
            when they were created at the same peering location, so a plan relying on it fails when the second \
            connection is made.\n\n\
            To fix it, connect each circuit to a different network (the primary circuit to the source, the secondary \
            to the recovery VNet), or use a circuit at another peering location, which also removes the risk reported \
            by CIRCUIT-SINGLE-LOCATION. This is an error and cannot be accepted.";

/// CIRCUIT-SINGLE-LOCATION
pub(super) const CIRCUIT_SINGLE_LOCATION: &str = "The rule reports an on-premises site with two or more ExpressRoute circuits \
            that all sit at one peering location. Each circuit has redundant connections, and a second circuit \
            protects against the failure of the first, but an outage of the peering location itself takes all of them \
            down at once.\n\n\
            \"Integrate Azure ExpressRoute with disaster recovery for Azure VMs\" contrasts the two designs: two \
            circuits at two peering locations protect against a regional disaster, because if the primary peering \
            location goes down, connections continue from the other; two circuits at a single location protect \
            against failure of the primary circuit, but not against loss of that location, which impacts both. Its \
            worked example puts the primary circuit in Hong Kong and the secondary in Singapore.\n\n\
            To fix it, move the secondary circuit to a peering location near the recovery region. You can accept the \
            warning when the business accepts that an outage of the peering location also cuts on-premises access to \
            the recovery region, for example because a site-to-site VPN is kept as a fallback path.";

/// CIRCUIT-SINGLE
pub(super) const CIRCUIT_SINGLE: &str = "The rule reports a site whose only ExpressRoute circuit serves both a source network and \
            a recovery network that reuses the source's address space (the usual choice when keeping IPs). Both \
            cannot be connected to the circuit at once, so failover must disconnect the source connection and then \
            create the target one.\n\n\
            \"Integrate Azure ExpressRoute with disaster recovery for Azure VMs\" describes the risks of that \
            sequence. In a regional failure the primary region may be inaccessible, so the disconnect can fail and \
            block the new connection. If the target connection exists and the primary region later recovers, two \
            simultaneous connections to the same address space can drop packets, so the primary connection must be \
            terminated immediately. After failback the order is reversed.\n\n\
            To fix it, add a second circuit at another peering location, or use a different address space on the \
            recovery side. If neither is possible, you can accept the warning, but script the disconnect-then-connect \
            sequence in the recovery plan, including termination of the primary connection, and rehearse it.";

/// CIRCUIT-PREMIUM
pub(super) const CIRCUIT_PREMIUM: &str = "The rule reports a site's only ExpressRoute circuit, without the Premium add-on, that \
            must reach a recovery region outside the geopolitical area of its peering location. A Standard circuit \
            reaches only the Azure regions in the geopolitical area (geography) of its peering location; Premium \
            extends it to regions in every geography. A circuit at Hong Kong reaches Southeast Asia, but without \
            Premium not a recovery region in Europe.\n\n\
            \"Integrate Azure ExpressRoute with disaster recovery for Azure VMs\" says that with a single circuit, if \
            the target region is not in the same geographic location as the source, you need to enable ExpressRoute \
            Premium. Otherwise the connection to the recovery network cannot be made after failover, and on-premises \
            users lose access exactly when they need it.\n\n\
            To fix it, enable Premium on the circuit (a recurring cost to budget), choose a recovery region in the \
            circuit's geography, or add a second circuit at a peering location in the recovery region's geography. \
            This is an error and cannot be accepted.";

/// CIRCUIT-ROUTING
pub(super) const CIRCUIT_ROUTING: &str = "The rule reports an on-premises site that reaches the source networks over one circuit \
            and the recovery networks over another (a secondary circuit), so that after failover, or earlier if the \
            recovery connections are set up in advance, both connections exist at the same time. It names a step the \
            plan must contain, not a fault.\n\n\
            \"Integrate Azure ExpressRoute with disaster recovery for Azure VMs\" recommends this two-circuit layout, \
            notes that connections from the secondary circuit can be ready before a disaster to reduce recovery time, \
            and warns that with simultaneous connections to primary and target networks, on-premises routing must use \
            only the secondary circuit and its connection after failover. Otherwise traffic may keep heading for the \
            failed region, especially when both sides use the same addresses.\n\n\
            To act on it, add a recovery plan step, scripted or manual, that makes on-premises routing prefer the \
            secondary circuit after failover (for example through BGP preferences or route filters), and the reverse \
            step for failback. The finding is informational and never blocks the plan.";

/// PEERING-GATEWAY-TRANSIT
pub(super) const PEERING_GATEWAY_TRANSIT: &str = "For each VNet peering the rule checks the gateway settings of both sides \
            together: when one side has \"use remote gateways\" enabled, the other side must have \"allow gateway \
            transit\" enabled and a gateway. It reports a peering where the other side does not allow transit, has no \
            gateway, or only gets its gateway during failover while the peering is already active.\n\n\
            Azure refuses \"use remote gateways\" without a transit-allowing gateway on the far side (an Azure fact). \
            \"Integrate Azure ExpressRoute with disaster recovery for Azure VMs\" shows the working hub and spoke \
            settings: spoke to hub allows virtual network access and forwarded traffic, does not allow gateway \
            transit, and uses remote gateways; hub to spoke allows access, forwarded traffic and gateway transit, and \
            does not use remote gateways. The target region needs the same settings after failover.\n\n\
            To fix it, allow gateway transit on the hub side and give the hub a gateway before the peering is made, \
            or turn off \"use remote gateways\" on the spoke side. This is an error and cannot be accepted.";

/// LIKE-FOR-LIKE
pub(super) const LIKE_FOR_LIKE: &str = "For every connection between two networks on the source side, the rule looks at the \
            connections joining their recovery counterparts (through the network mapping) and reports one of a \
            different type, such as a VPN where the source uses peering, or a peering whose four settings differ from \
            those of the source peering. It also compares how each source network and its recovery network reach \
            on-premises, active or prepared: ExpressRoute on one side and only a site-to-site VPN on the other is \
            reported.\n\n\
            \"Retain IP addresses when failing over Azure virtual machines to another Azure region\" advises \
            mimicking source connectivity, including the connection type, to minimise unpredictable incidents arising \
            from network changes, and recommends a like-for-like connection model when failing over; it notes that \
            peering and VPN differ in constraints, pricing and gateway hops. \"Integrate Azure ExpressRoute with \
            disaster recovery for Azure VMs\" likewise sets up the target hub and spoke peerings with the same \
            properties as on the source.\n\n\
            To fix it, use the same connection type and the same peering settings on the recovery side. You can \
            accept the warning for a deliberate difference, for example a VPN instead of peering for cost reasons, \
            once a test failover has shown that the applications behave as they do at the source.";

/// RET-TARGET-MISMATCH
pub(super) const RET_TARGET_MISMATCH: &str = "The rule reports a machine set to keep its IP address after failover whose target \
            subnet, in the mapped recovery network, does not contain that address. Keeping an address only works if \
            the subnet it lands in covers it: a VM at 10.1.2.5 that keeps 10.1.2.5 must fail over into a subnet such \
            as 10.1.2.0/24 on the recovery side. The address must also be a usable host there: not the subnet's \
            network or broadcast address, and in an Azure subnet not the first four nor the last address, which \
            Azure reserves (an Azure fact), so an address that served on premises can fail in Azure. The same \
            holds for a new address chosen for after failover.\n\n\
            \"Retain IP addresses when failing over Azure virtual machines to another Azure region\" explains that \
            Site Recovery by default mimics the source network and subnet structure on the target and tries to give \
            VMs with static private IPs the same address there; its examples rely on a Recovery VNet that mirrors the \
            Source VNet's address space and subnets, with the target IP of each VM verified before failover. If the \
            target subnet differs, the VM cannot get its address, and application bindings break.\n\n\
            To fix it, map the machine to the recovery subnet that mirrors its source subnet, change that subnet's \
            prefix to match, or choose a new target IP and plan the DNS update. This is an error and cannot be \
            accepted.";

/// RET-TARGET-TAKEN
pub(super) const RET_TARGET_TAKEN: &str = "The rule reports a target IP address, kept or newly chosen, that is already used in \
            the target network by another resource or by another replicated machine's target. Two machines failing \
            over to one address, or a failover address already held by a domain controller or appliance living in the \
            recovery network, cannot both have it.\n\n\
            \"Retain IP addresses when failing over Azure virtual machines to another Azure region\" says Site \
            Recovery makes a best-effort attempt to give the target VM its source private IP only if that IP is not \
            already blocked by an Azure resource or a replicated VM. \"VM connectivity after failover to a secondary \
            site\" describes the same for VMM: if the same address is not available in the target pool, another one \
            is allocated. Either way the machine quietly comes up with an address nobody planned for, and clients and \
            firewall rules miss it.\n\n\
            To fix it, free the address on the target side, or give one of the machines a different target IP and \
            plan its DNS update. This is an error and cannot be accepted.";

/// RET-PARTIAL-SUBNET
pub(super) const RET_PARTIAL_SUBNET: &str = "This rule is evaluated for each failover scenario in the plan. It reports a scenario \
            that fails over some, but not all, machines of a subnet while those machines keep their IP addresses. \
            Keeping IPs means the subnet itself moves to the recovery site; the machines left behind would sit in a \
            subnet that is now routed elsewhere, or the two halves would claim the same range at two sites.\n\n\
            \"Failover in Site Recovery\" is explicit, for failover both to a secondary site and to Azure: if an \
            entire subnet fails over you can retain the virtual machine IP addresses, but if you fail over a partial \
            subnet you cannot, because subnets cannot be split between sites.\n\n\
            To fix it, include every machine of the subnet in the scenario (add the missing ones to the recovery \
            plan), give the machines that move new target IPs in a different recovery subnet, or regroup machines so \
            that each application that must fail over alone has its own subnet. This is an error for the scenario \
            concerned and cannot be accepted.";

/// RET-SUBNET-WITH-ACTIVE-SOURCE
pub(super) const RET_SUBNET_WITH_ACTIVE_SOURCE: &str = "This rule is evaluated for each failover scenario in the plan. It reports \
            a subnet-level failover (only some subnets of a network move) where the recovery network reuses the \
            source network's address space and the source network's connection to on-premises, by ExpressRoute or \
            VPN, stays active in that scenario.\n\n\
            \"Retain IP addresses when failing over Azure virtual machines to another Azure region\" explains, for \
            Company B, whose Azure VNet is connected to its on-premises datacenter, that subnet failover is not \
            possible: the address space of the source and recovery networks is the same, and the original source to \
            on-premises connection is active. On-premises cannot reach the recovery copy of one subnet while it still \
            routes the whole space to the source. Only a full failover works there: disconnect the source connection, \
            connect the recovery one, and point on-premises routing at the target region.\n\n\
            To fix it, fail over the whole network, give the failed-over machines new IPs in a different address \
            space, or house each application in its own VNet, as the article recommends, so that it can fail over \
            alone. This is an error and cannot be accepted.";

/// RET-SUBNET-IN-SHARED-VNET
pub(super) const RET_SUBNET_IN_SHARED_VNET: &str = "This rule is evaluated for each failover scenario in the plan. It reports a \
            scenario that fails over one subnet of a network, keeping its machines' IPs, while other subnets of the \
            same network stay at the source. After failover the moved subnet lives in the recovery network and loses \
            direct connectivity to its former sibling subnets, which remain in the source network.\n\n\
            \"Retain IP addresses when failing over Azure virtual machines to another Azure region\" says that subnet \
            failover with IP retention is possible but not advisable in most situations: it substantially increases \
            connectivity inconsistencies, and you lose connectivity to the other subnets in the same virtual network. \
            It recommends either different target IPs, when the application needs the source subnets, or housing each \
            application in its own dedicated virtual network, connected to others as required, so that applications \
            fail over in isolation while keeping their addresses.\n\n\
            You can accept the warning when the subnet needs nothing from its siblings during the outage. Otherwise \
            choose new target IPs or split the network into one network per application.";

/// RET-SUBNET-ROUTES
pub(super) const RET_SUBNET_ROUTES: &str = "This rule is evaluated for each failover scenario in the plan. When a scenario fails \
            over a whole subnet and keeps its addresses, the subnet becomes active at the recovery site instead of \
            the primary, and routing must follow it. The rule lists the route changes the recovery plan must contain, \
            and warns when a third site, such as a branch or datacenter whose users reach the application, has no \
            path to the recovery site at all.\n\n\
            \"VM connectivity after failover to a secondary site\" describes this full subnet failover: \
            192.168.1.0/24 moves with all its VMs from the primary to the secondary site, and the routes between \
            primary and recovery site, third and primary site, and third and recovery site have to be modified. It \
            notes the design's main drawback: a failure always moves the whole subnet.\n\n\
            To act on it, script the route changes (or router reconfiguration) in the recovery plan, and make sure \
            every third site has a VPN or circuit to the recovery site before a disaster. The route steps are \
            informational; a third site without a path needs fixing.";

/// RET-STRETCHED
pub(super) const RET_STRETCHED: &str = "The rule reports every subnet stretched across two sites, that is a layer-2 VLAN extended \
            so that the subnet is active at both at once. A stretched subnet lets a machine keep its address and be \
            reached at the other site without route changes, but it has two costs the plan should make visible.\n\n\
            \"VM connectivity after failover to a secondary site\" explains both. At layer 2 you need networking \
            equipment that can manage a stretched VLAN. And stretching the VLAN extends the potential fault domain to \
            both sites, which effectively become a single point of failure: unlikely as it is, a broadcast storm \
            could start and not be isolated. The article offers subnet failover as a way to get the same benefit \
            without stretching.\n\n\
            You can accept the warning when both sites have equipment built for layer-2 extension, with storm control \
            and a tested plan for isolating a fault, and the shared risk is understood. Otherwise use subnet failover \
            (the whole subnet moves and routes change) or new IPs with DNS updates.";

/// RET-DHCP
pub(super) const RET_DHCP: &str = "The rule reports protected machines whose address comes from DHCP. The replication service \
            does not manage DHCP addresses: after failover such a machine asks the recovery site's DHCP server for an \
            address, and gets its old one back only if that server hands out the same range, ideally with a \
            reservation.\n\n\
            \"VM connectivity after failover to a secondary site\" says that if VMs use DHCP, Site Recovery does not \
            manage their IP addresses, and you need to check that the DHCP server on the secondary site can allocate \
            addresses from the same range as the source site. Machines with static addresses, by contrast, get theirs \
            from the target network's static IP pool, where Site Recovery reserves the same address in advance.\n\n\
            You can accept the warning once the recovery site's DHCP scope covers the same range, with reservations \
            for machines whose address matters, and DNS registration is dynamic. Otherwise switch those machines to \
            static addresses from a pool, or plan for new IPs and DNS updates.";

/// RET-STATIC-POOL
pub(super) const RET_STATIC_POOL: &str = "The rule reports a VMM target VM network that needs a static IP address pool and has \
            none: one that uses static addressing, or one that uses Windows Network Virtualization (WNV), whatever \
            the source network uses. Replica machines connected to it cannot be given an address.\n\n\
            \"Failover in Site Recovery\" describes how replicas connect to mapped VM networks. On a no-isolation or \
            VLAN network with DHCP no pool is needed, but with a static pool the replica takes its address from the \
            pool defined on the target VM network, and if none is defined IP address allocation fails. On a WNV \
            network a static pool must be defined on the target whether the source uses DHCP or a pool, since the \
            target VMM server hands out addresses from it; without it allocation fails. The pool should exist on both \
            the source and target VMM servers.\n\n\
            To fix it, define a static IP address pool on the target VM network, with the same range as the source \
            pool if IPs are kept. This is an error and cannot be accepted.";

/// RET-PUBLIC-IP
pub(super) const RET_PUBLIC_IP: &str = "The rule reports a machine whose public IP address is set to be kept after failover to \
            Azure. Azure cannot give a failed-over VM a public address that was routed to another site.\n\n\
            \"Failover in Site Recovery\" says that when failing over to Azure you can specify the IP address to \
            assign, but you cannot retain a public IP address; you can retain non-RFC 1918 address spaces that are \
            used as internal addresses. For a secondary on-premises site it adds that a public address can be kept if \
            your ISP supports it, so the rule concerns Azure targets only. The distinction matters: an organisation \
            that uses a public range internally, never advertised to the internet, can keep it; an internet-facing \
            address cannot follow the VM.\n\n\
            To fix it, if the range is only used internally, record it as internal in the plan; otherwise plan a new \
            public IP in the recovery region with a DNS update, or route clients through Azure Traffic Manager, which \
            the article mentions. This is an error and cannot be accepted.";

/// CHANGE-DNS
pub(super) const CHANGE_DNS: &str = "The rule concerns machines that get a new IP address at failover. Clients find them by name, \
            so DNS must point at the new address. The rule asks for a DNS update step in the recovery plan (info) \
            unless dynamic DNS registration is on, and warns when a record's TTL is long, because clients and \
            resolvers keep using the old address until it expires.\n\n\
            \"VM connectivity after failover to a secondary site\" names this maintenance as the drawback of changing \
            IPs: DNS is typically updated after the replicas start, entries may need to change and cached entries to \
            be refreshed, which can mean downtime. It advises low TTL values for intranet applications and a script \
            in the recovery plan that updates the DNS server; with dynamic DNS updates, VMs register their new \
            address themselves when they start.\n\n\
            To act on it, add the DNS update step or enable dynamic registration, and lower the TTL well before any \
            failover, since caches honour the old value. You can accept a long TTL when the extra downtime it causes \
            fits within the RTO.";

/// CHANGE-REACH
pub(super) const CHANGE_REACH: &str = "With new IP addresses nothing is rerouted at failover: the machines come up in a recovery \
            subnet that must already be reachable. The rule reports a recovery subnet that cannot be reached, through \
            VPN connections, circuits or routes in place before failover, from every site that currently reaches the \
            primary subnet, including third sites such as branches.\n\n\
            \"VM connectivity after failover to a secondary site\" describes the change-IP design: applications move \
            from 192.168.1.0/24 on the primary site to 172.16.1.0/24 on the recovery site, VPN connections and routes \
            are configured beforehand so that all three sites can reach each other, and after failover no VPN or \
            route reconfiguration is needed; the failover and some DNS updates keep the applications accessible. That \
            only holds if the paths exist in advance.\n\n\
            To fix it, add the missing VPN connection or route from each site to the recovery subnet before failover, \
            or switch to an IP-retention design in which routes move with the subnet. This is an error and cannot be \
            accepted.";

/// GW-NOT-READY
pub(super) const GW_NOT_READY: &str = "The rule reports a recovery network whose source counterpart has a gateway (VPN or \
            ExpressRoute), so it will need one after failover, but which has no gateway provisioned before failover. \
            The gateway would have to be created during the failover itself.\n\n\
            \"Integrate Azure ExpressRoute with disaster recovery for Azure VMs\" states that Site Recovery does not \
            create route tables, virtual network gateways, gateway connections, peerings or other networking \
            resources in the secondary region: you create them any time before failover, or script them in a recovery \
            plan. \"Retain IP addresses when failing over Azure virtual machines to another Azure region\" shows \
            Companies A and B configuring gateways on their recovery networks ahead of time to reduce the recovery \
            time objective; creating a gateway can take tens of minutes, all of it added to the outage.\n\n\
            You can accept the warning if a recovery plan script creates the gateway and the longer RTO is \
            acceptable, for example to avoid paying for an idle gateway. Otherwise provision the gateway on the \
            recovery network now.";

/// NVA-REPLICATION
pub(super) const NVA_REPLICATION: &str = "The rule reports a replicated network, one holding protected machines, with a route \
            0.0.0.0/0 whose next hop is a network virtual appliance and no service endpoint for Microsoft.Storage. \
            Replication traffic from those VMs would then follow the default route through the NVA.\n\n\
            \"Integrate Azure ExpressRoute with disaster recovery for Azure VMs\" explains that Azure's default \
            system route for VM replication is 0.0.0.0/0, that NVA deployments typically define their own default \
            route to force outbound traffic through the appliance, and that the NVA might then be overloaded by \
            replication traffic; the same applies when a default route sends all traffic on-premises. It recommends \
            creating a network service endpoint for Microsoft.Storage in the virtual network, so that replication \
            traffic does not leave the Azure boundary.\n\n\
            To fix it, add the Microsoft.Storage service endpoint to the subnets of the protected machines. You can \
            accept the warning if the NVA is sized for the replication throughput and that traffic must be inspected \
            anyway.";

/// TEST-NOT-ISOLATED
pub(super) const TEST_NOT_ISOLATED: &str = "This rule is evaluated for each failover scenario in the plan. For test failovers \
            (drills), it reports a test-failover network that is connected, by VPN, peering, circuit or stretched \
            VLAN, to a production network. Test machines are copies of production machines, with the same names and \
            often the same addresses, so such a connection lets them collide with production or receive production \
            traffic.\n\n\
            \"Failover in Site Recovery\" promises that a test failover has no impact on production, and for that \
            asks you to use an Azure network or VMM VM network isolated from the production network; for VLAN \
            networks it recommends a separate logical network not used in production, with isolated network sites. \
            \"Integrate Azure ExpressRoute with disaster recovery for Azure VMs\" likewise runs the drill on a \
            separate test network.\n\n\
            To fix it, remove the connection from the test network, or pick another, isolated network for the test \
            failover. This is an error and cannot be accepted.";

/// TEST-OVERLAP-SINGLE-CIRCUIT
pub(super) const TEST_OVERLAP_SINGLE_CIRCUIT: &str = "This rule is evaluated for each failover scenario in the plan. For test \
            failovers, it reports a drill whose test network reuses the recovery side's address space, in a design \
            with a single ExpressRoute circuit where the recovery network already reuses the source address space.\n\n\
            \"Integrate Azure ExpressRoute with disaster recovery for Azure VMs\" recommends a different address \
            space for the target network when there is a single circuit, to avoid problems establishing connections \
            during regional outages. If that is not possible, it says to run the disaster recovery drill on a \
            separate test network with different IP addresses, because two VNets with overlapping address space \
            cannot be connected to the same circuit. A test network with the production range could not be connected \
            to the circuit while production is, and would disturb production routing if it were.\n\n\
            To fix it, give the test network a different address space (test machines then receive other addresses \
            there), or give the recovery network its own address space. This is an error and cannot be accepted.";

/// TEST-INFRA
pub(super) const TEST_INFRA: &str = "This rule is evaluated for each failover scenario in the plan. For test failovers, it \
            reports a test network that has no copy of the infrastructure the test machines depend on: a domain \
            controller, a DNS server and, when test machines use DHCP, a DHCP server.\n\n\
            \"Failover in Site Recovery\" says a test failover between sites requires a copy of the domain controller \
            and test DHCP and DNS servers in the test environment: prepare Active Directory, DHCP and DNS in an \
            existing test network, or add a manual step before the first group of the recovery plan that places them \
            in an automatically created network. Because the test network is isolated from production, machines \
            cannot reach the real servers, and application tests would fail for reasons unrelated to the recovery \
            design.\n\n\
            To fix it, add the infrastructure to the test network, or a manual step that does so. You can accept the \
            warning for a drill that only checks that machines start, not that applications work.";

/// TEST-NET-TYPE
pub(super) const TEST_NET_TYPE: &str = "This rule is evaluated for each failover scenario in the plan. For test failovers between \
            VMM sites, it reports a combination of replica and test network types that cannot work: a replica on a \
            no-isolation VM network with a Windows Network Virtualization (WNV) test network, or a replica on a \
            VLAN-isolated network using DHCP with a WNV test network.\n\n\
            \"Failover in Site Recovery\" notes that the replica's network type need not match the test network's \
            logical network, but that some combinations fail. A no-isolation network lacks the subnets required to \
            create a WNV network. A DHCP, VLAN-isolated replica network needs no static IP address pool, so a WNV \
            test network, which can only allocate addresses from pools, has none to use.\n\n\
            To fix it, use a VLAN-based test network on a separate logical network not used in production, or, in the \
            DHCP case, define static IP address pools for the replica network. This is an error and cannot be \
            accepted.";

/// FAILOVER-UNSUPPORTED
pub(super) const FAILOVER_UNSUPPORTED: &str = "This rule is evaluated for each failover scenario in the plan. It reports a \
            failover type (test, planned or unplanned) that the scenario's direction does not support, according to \
            the table in \"Failover in Site Recovery\", shown here as test / planned / unplanned:\n\n\
            Primary VMM site to secondary VMM site: yes / yes / yes.\n\
            Secondary VMM site to primary VMM site: yes / yes / yes.\n\
            Cloud to cloud (single VMM server): yes / yes / yes.\n\
            VMM site to Azure: yes / yes / yes.\n\
            Azure to VMM site: no / yes / no.\n\
            Hyper-V site to Azure: yes / yes / yes.\n\
            Azure to Hyper-V site: no / yes / no.\n\
            VMware site to Azure: yes (enhanced scenario; no in legacy) / no / yes.\n\
            Physical server to Azure: yes (enhanced scenario; no in legacy) / no / yes.\n\n\
            So failback from Azure to an on-premises site is always a planned failover, and VMware or physical \
            machines fail over to Azure unplanned or as a test. To fix it, change the scenario's type, for example \
            rehearse failback as a planned failover. This is an error and cannot be accepted.";

/// ADDR-RANGE-ORDER
pub(super) const ADDR_RANGE_ORDER: &str = "A subnet's DHCP range and its static address pool are inclusive ranges, from a \
            first address to a last one. The rule reports a range whose start comes after its end, such as 10.1.1.200 to \
            10.1.1.100: it holds no address at all, so no machine can be given one from it and every check of whether an \
            address lies in the range fails.\n\n\
            This is a general IP fact; the articles say nothing of it. It matters at failover because \"VM connectivity after \
            failover to a secondary site\" relies on the target network's pool or DHCP to give machines their addresses: a \
            backwards range silently gives none.\n\n\
            To fix it, swap the two addresses. This is an error and cannot be accepted.";

/// ADDR-RANGE-FAMILY
pub(super) const ADDR_RANGE_FAMILY: &str = "A DHCP range or static address pool is a run of addresses of one family, \
            inside its subnet. The rule reports a range whose ends are of different families (an IPv4 start and an IPv6 \
            end), which is no range at all, and a range of the other family than its subnet (an IPv6 pool on an IPv4 \
            subnet), whose addresses the subnet cannot hold.\n\n\
            This is a general IP fact; the articles say nothing of it. A replication service that assigns addresses from \
            the pool at failover would find none it could use.\n\n\
            To fix it, give both ends as addresses of the subnet's family, inside its prefix. This is an error and cannot \
            be accepted.";

/// ADDR-WHOLE-SPACE
pub(super) const ADDR_WHOLE_SPACE: &str = "A network's address space lists the prefixes it holds. The rule reports a \
            network that claims 0.0.0.0/0 or ::/0, every IPv4 or IPv6 address: such a network overlaps every other \
            network of the plan, so every connection to it is an overlap, and nothing outside it can be routed to.\n\n\
            This is a general IP fact, and an Azure one: Azure refuses such an address space for a virtual network. A \
            default route (0.0.0.0/0 in a route table, towards an NVA) is something else and is not reported.\n\n\
            To fix it, give the network the prefixes it really uses. This is an error and cannot be accepted.";

/// MAP-SELF
pub(super) const MAP_SELF: &str = "A network mapping says which recovery network a source network's machines fail \
            over into. The rule reports a network mapped to itself: its machines would fail over into the very network \
            they are leaving, which is no failover.\n\n\
            This is a general fact of disaster recovery rather than a rule from the articles. Two mappings in opposite \
            directions (A to B and B to A) are normal and not reported: Site Recovery wants one for each direction, the \
            second for failback.\n\n\
            To fix it, map the network to its recovery network at the recovery site, or remove the mapping. This is an \
            error and cannot be accepted.";

/// SCENARIO-SAME-SITE
pub(super) const SCENARIO_SAME_SITE: &str = "A failover scenario moves machines from one site to another. The rule \
            reports a scenario whose source and destination are the same site: nothing would move, and every rule that \
            reasons on the scenario (which machines keep their addresses, which routes change) would reason on nothing.\n\n\
            This is a general fact of disaster recovery rather than a rule from the articles.\n\n\
            To fix it, choose the recovery site as the destination, or the primary site for a failback. This is an error \
            and cannot be accepted.";

/// RET-TARGET-OWN-SUBNET
pub(super) const RET_TARGET_OWN_SUBNET: &str = "A machine's failover target is the subnet it comes up in after \
            failover, at the recovery site. The rule reports a machine whose target is the very subnet it runs in now: \
            a failover would not move it anywhere.\n\n\
            The exception is a stretched subnet, one layer-2 segment across both sites (joined by a stretched VLAN), \
            where \"VM connectivity after failover to a secondary site\" describes machines keeping their subnet and \
            address as they move: the rule says nothing for those.\n\n\
            To fix it, choose a subnet of the recovery network as the target, or stretch the subnet if that is the \
            design. This is a warning: the plan may still be a draft.";

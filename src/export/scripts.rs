//! PowerShell (Az module) and Azure CLI scripts for the scripted network steps of a recovery
//! plan, and the DNS record update of seed 000. Names are quoted with [`super::quote`].

use super::quote::{comment, powershell, shell};
use crate::model::PeeringSettings;
use crate::plan::{Action, RecoveryPlan, Step};

/// One script file.
pub struct Script {
    pub file_name: String,
    pub text: String,
    /// Holds DNS updates (else network changes).
    pub dns: bool,
}

/// The scripts of a plan: network changes in PowerShell and in Azure CLI when there are any,
/// and the DNS updates in PowerShell when there are any.
pub fn scripts(plan: &RecoveryPlan) -> Vec<Script> {
    let network_steps: Vec<&Step> = plan.steps().filter(|step| is_network(&step.action)).collect();
    let dns_steps: Vec<&Step> = plan.steps().filter(|step| is_dns(&step.action)).collect();
    let mut scripts = Vec::new();
    if !network_steps.is_empty() {
        scripts.push(Script { file_name: "network-changes.ps1".to_owned(), text: powershell_network(plan, &network_steps), dns: false });
        scripts.push(Script { file_name: "network-changes.sh".to_owned(), text: cli_network(plan, &network_steps), dns: false });
    }
    if !dns_steps.is_empty() {
        scripts.push(Script { file_name: "update-dns.ps1".to_owned(), text: powershell_dns(plan, &dns_steps), dns: true });
    }
    scripts
}

/// Steps the DNS script holds.
pub fn is_dns(action: &Action) -> bool {
    matches!(action, Action::UpdateDns { .. })
}

/// Steps the network scripts hold.
pub fn is_network(action: &Action) -> bool {
    matches!(
        action,
        Action::Disconnect { .. } | Action::CreateGateway { prepared: false, .. } | Action::Connect { .. } | Action::CreatePeering { .. }
    )
}

/// The Azure resource names the network scripts use, each derived deterministically from a
/// display name of the plan: Azure names allow letters, digits, `_`, `.` and `-`, start with a
/// letter or digit and do not end with `.` or `-`. Two display names that would give one name
/// are told apart by a number.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct AzureNames {
    /// (display name, Azure name), in the order first used.
    pub mapping: Vec<(String, String)>,
}

/// An Azure resource name for a display name (see [`AzureNames`]), at most 64 characters.
pub fn azure_name(display: &str) -> String {
    let mut name = String::with_capacity(display.len());
    for character in display.chars() {
        let kept = if character.is_ascii_alphanumeric() || matches!(character, '_' | '.' | '-') { character } else { '-' };
        if !(kept == '-' && name.ends_with('-')) {
            name.push(kept);
        }
    }
    let name: String = name.trim_start_matches(|character: char| !character.is_ascii_alphanumeric()).chars().take(64).collect();
    let name = name.trim_end_matches(['.', '-']).to_owned();
    if name.is_empty() { "resource".to_owned() } else { name }
}

impl AzureNames {
    /// The Azure name of a display name, the same every time it is asked for.
    pub fn of(&mut self, display: &str) -> String {
        if let Some((_, known)) = self.mapping.iter().find(|(known, _)| known == display) {
            return known.clone();
        }
        let base = azure_name(display);
        let taken = |candidate: &str, mapping: &[(String, String)]| mapping.iter().any(|(_, used)| used == candidate);
        let name = (1..).map(|number| if number == 1 { base.clone() } else { format!("{base}-{number}") }).find(|candidate| !taken(candidate, &self.mapping)).unwrap_or(base);
        self.mapping.push((display.to_owned(), name.clone()));
        name
    }
}

/// Every Azure name the network scripts of a plan use, with the display name it stands for.
pub fn azure_names(plan: &RecoveryPlan) -> AzureNames {
    let mut names = AzureNames::default();
    for step in plan.steps().filter(|step| is_network(&step.action)) {
        for display in displayed_names(&step.action) {
            names.of(&display);
        }
    }
    names
}

/// The display names of the Azure resources a step acts on, in the order the scripts use them.
fn displayed_names(action: &Action) -> Vec<String> {
    match action {
        Action::Disconnect { name, .. } => vec![name.clone()],
        Action::CreateGateway { name, network, .. } => vec![network.clone(), format!("{name} ip"), name.clone()],
        Action::Connect { name, link, other_end, gateway, other_gateway, .. } if link == "ExpressRoute" => {
            let _ = other_gateway;
            vec![gateway.clone(), other_end.clone(), name.clone()]
        }
        Action::Connect { name, other_end, gateway, other_gateway, .. } => {
            let other = other_gateway.clone().unwrap_or_else(|| format!("{other_end} gateway"));
            vec![gateway.clone(), other, name.clone(), format!("{name} (return)")]
        }
        Action::CreatePeering { name, from, to, .. } => vec![from.clone(), to.clone(), name.clone(), format!("{name} (return)")],
        _ => Vec::new(),
    }
}

fn header(plan: &RecoveryPlan, what: &str, names: &AzureNames) -> String {
    let mut text = format!(
        "# {what} for recovery plan {}, scenario {}.\n# Generated by drplan; review before running. Steps run in the runbook's order.\n",
        comment(&plan.plan_name),
        comment(&plan.scenario_name)
    );
    if !names.mapping.is_empty() {
        text.push_str("#\n# Azure resource names used below, derived from the plan's display names:\n");
        for (display, azure) in &names.mapping {
            text.push_str(&format!("#   {azure}  <-  {}\n", comment(display)));
        }
    }
    text
}

fn step_comment(step: &Step) -> String {
    format!("\n# Step {}: {}\n", step.number, comment(&step.title))
}

fn gateway_type(kind: crate::model::GatewayKind) -> &'static str {
    match kind {
        crate::model::GatewayKind::Vpn => "Vpn",
        crate::model::GatewayKind::ExpressRoute => "ExpressRoute",
    }
}

/// The two sides of a peering, the side that allows gateway transit first: Azure refuses a
/// peering that uses remote gateways before the other side allows transit.
fn peering_sides<'a>(
    from: &'a str,
    to: &'a str,
    from_side: &'a PeeringSettings,
    to_side: &'a PeeringSettings,
    name: &'a str,
) -> [(&'a str, &'a str, &'a PeeringSettings, String); 2] {
    let forward = (from, to, from_side, name.to_owned());
    let back = (to, from, to_side, format!("{name} (return)"));
    if from_side.use_remote_gateways { [back, forward] } else { [forward, back] }
}

fn powershell_network(plan: &RecoveryPlan, steps: &[&Step]) -> String {
    let mut names = azure_names(plan);
    let mut text = header(plan, "Network changes (PowerShell, Az module)", &names);
    text.push_str(
        "param(\n    [Parameter(Mandatory)][string]$ResourceGroup,\n    [string]$SharedKey,\n    [string]$VpnGatewaySku = 'VpnGw1',\n    [string]$ExpressRouteGatewaySku = 'Standard'\n)\n$ErrorActionPreference = 'Stop'\n",
    );
    let mut name = |display: &str| powershell(&names.of(display));
    for step in steps {
        text.push_str(&step_comment(step));
        match &step.action {
            // The source region may be down: a disconnect that fails is reported and the plan
            // goes on (seed 003).
            Action::Disconnect { name: connection, .. } => text.push_str(&format!(
                "try {{ Remove-AzVirtualNetworkGatewayConnection -Name {} -ResourceGroupName $ResourceGroup -Force }}\ncatch {{ Write-Warning \"Step {}: the disconnect failed (is the source region down?); going on: $_\" }}\n",
                name(connection),
                step.number
            )),
            Action::CreateGateway { name: gateway, kind, network, .. } => {
                let sku = match kind {
                    crate::model::GatewayKind::Vpn => "$VpnGatewaySku -VpnType RouteBased",
                    crate::model::GatewayKind::ExpressRoute => "$ExpressRouteGatewaySku",
                };
                text.push_str(&format!(
                    "$vnet = Get-AzVirtualNetwork -Name {network} -ResourceGroupName $ResourceGroup\n\
                     $gatewaySubnet = Get-AzVirtualNetworkSubnetConfig -Name 'GatewaySubnet' -VirtualNetwork $vnet\n\
                     $publicIp = New-AzPublicIpAddress -Name {ip} -ResourceGroupName $ResourceGroup -Location $vnet.Location -AllocationMethod Static -Sku Standard\n\
                     $ipConfig = New-AzVirtualNetworkGatewayIpConfig -Name 'gatewayConfig' -SubnetId $gatewaySubnet.Id -PublicIpAddressId $publicIp.Id\n\
                     New-AzVirtualNetworkGateway -Name {gateway} -ResourceGroupName $ResourceGroup -Location $vnet.Location -IpConfigurations $ipConfig -GatewayType {kind} -GatewaySku {sku}\n",
                    network = name(network),
                    ip = name(&format!("{gateway} ip")),
                    gateway = name(gateway),
                    kind = gateway_type(*kind),
                ))
            }
            Action::Connect { name: connection, link, other_end, gateway, other_gateway, .. } => {
                text.push_str(&format!("$gateway = Get-AzVirtualNetworkGateway -Name {} -ResourceGroupName $ResourceGroup\n", name(gateway)));
                if link == "ExpressRoute" {
                    text.push_str(&format!(
                        "$circuit = Get-AzExpressRouteCircuit -Name {} -ResourceGroupName $ResourceGroup\n\
                         New-AzVirtualNetworkGatewayConnection -Name {} -ResourceGroupName $ResourceGroup -Location $gateway.Location -VirtualNetworkGateway1 $gateway -PeerId $circuit.Id -ConnectionType ExpressRoute\n",
                        name(other_end),
                        name(connection)
                    ));
                } else {
                    // A VNet-to-VNet connection is two connections, one on each gateway, with one key.
                    let other = other_gateway.clone().unwrap_or_else(|| format!("{other_end} gateway"));
                    text.push_str(&format!(
                        "$otherGateway = Get-AzVirtualNetworkGateway -Name {} -ResourceGroupName $ResourceGroup\n\
                         New-AzVirtualNetworkGatewayConnection -Name {} -ResourceGroupName $ResourceGroup -Location $gateway.Location -VirtualNetworkGateway1 $gateway -VirtualNetworkGateway2 $otherGateway -ConnectionType Vnet2Vnet -SharedKey $SharedKey\n\
                         New-AzVirtualNetworkGatewayConnection -Name {} -ResourceGroupName $ResourceGroup -Location $otherGateway.Location -VirtualNetworkGateway1 $otherGateway -VirtualNetworkGateway2 $gateway -ConnectionType Vnet2Vnet -SharedKey $SharedKey\n",
                        name(&other),
                        name(connection),
                        name(&format!("{connection} (return)"))
                    ));
                }
            }
            Action::CreatePeering { name: peering, from, to, from_side, to_side, .. } => {
                text.push_str(&format!(
                    "$from = Get-AzVirtualNetwork -Name {} -ResourceGroupName $ResourceGroup\n$to = Get-AzVirtualNetwork -Name {} -ResourceGroupName $ResourceGroup\n",
                    name(from),
                    name(to)
                ));
                for (local, _, settings, peering_name) in peering_sides(from, to, from_side, to_side, peering) {
                    let (local_variable, remote_variable) = if local == from.as_str() { ("$from", "$to") } else { ("$to", "$from") };
                    text.push_str(&format!(
                        "Add-AzVirtualNetworkPeering -Name {} -VirtualNetwork {local_variable} -RemoteVirtualNetworkId {remote_variable}.Id{}\n",
                        name(&peering_name),
                        powershell_peering_flags(settings)
                    ));
                }
            }
            _ => {}
        }
    }
    text
}

/// The peering switches that are on, as (PowerShell flag, Azure CLI flag).
fn peering_flags(settings: &PeeringSettings) -> impl Iterator<Item = (&'static str, &'static str)> {
    [
        (!settings.allow_virtual_network_access, " -BlockVirtualNetworkAccess", " --allow-vnet-access false"),
        (settings.allow_virtual_network_access, "", " --allow-vnet-access true"),
        (settings.allow_forwarded_traffic, " -AllowForwardedTraffic", " --allow-forwarded-traffic true"),
        (settings.allow_gateway_transit, " -AllowGatewayTransit", " --allow-gateway-transit true"),
        (settings.use_remote_gateways, " -UseRemoteGateways", " --use-remote-gateways true"),
    ]
    .into_iter()
    .filter(|(on, _, _)| *on)
    .map(|(_, powershell, cli)| (powershell, cli))
}

fn powershell_peering_flags(settings: &PeeringSettings) -> String {
    peering_flags(settings).map(|(flag, _)| flag).collect()
}

fn cli_peering_flags(settings: &PeeringSettings) -> String {
    peering_flags(settings).map(|(_, flag)| flag).collect()
}

fn cli_network(plan: &RecoveryPlan, steps: &[&Step]) -> String {
    let mut names = azure_names(plan);
    let mut text = String::from("#!/usr/bin/env bash\n");
    text.push_str(&header(plan, "Network changes (Azure CLI)", &names));
    text.push_str(
        "set -euo pipefail\n: \"${RESOURCE_GROUP:?set RESOURCE_GROUP to the recovery resource group}\"\nVPN_GATEWAY_SKU=\"${VPN_GATEWAY_SKU:-VpnGw1}\"\nEXPRESSROUTE_GATEWAY_SKU=\"${EXPRESSROUTE_GATEWAY_SKU:-Standard}\"\n",
    );
    let mut name = |display: &str| shell(&names.of(display));
    for step in steps {
        text.push_str(&step_comment(step));
        match &step.action {
            // The source region may be down: a disconnect that fails is reported and the plan
            // goes on (seed 003).
            Action::Disconnect { name: connection, .. } => text.push_str(&format!(
                "az network vpn-connection delete --name {} --resource-group \"$RESOURCE_GROUP\" \\\n    || echo \"warning: step {}: the disconnect failed (is the source region down?); going on\" >&2\n",
                name(connection),
                step.number
            )),
            Action::CreateGateway { name: gateway, kind, network, .. } => {
                let sku = match kind {
                    crate::model::GatewayKind::Vpn => "\"$VPN_GATEWAY_SKU\" --vpn-type RouteBased",
                    crate::model::GatewayKind::ExpressRoute => "\"$EXPRESSROUTE_GATEWAY_SKU\"",
                };
                text.push_str(&format!(
                    "location=$(az network vnet show --name {network} --resource-group \"$RESOURCE_GROUP\" --query location --output tsv)\n\
                     az network public-ip create --name {ip} --resource-group \"$RESOURCE_GROUP\" --location \"$location\" --sku Standard --allocation-method Static\n\
                     az network vnet-gateway create --name {gateway} --resource-group \"$RESOURCE_GROUP\" --location \"$location\" --vnet {network} --public-ip-addresses {ip} --gateway-type {kind} --sku {sku}\n",
                    network = name(network),
                    ip = name(&format!("{gateway} ip")),
                    gateway = name(gateway),
                    kind = gateway_type(*kind),
                ))
            }
            Action::Connect { name: connection, link, other_end, gateway, other_gateway, .. } => {
                if link == "ExpressRoute" {
                    text.push_str(&format!(
                        "circuit_id=$(az network express-route show --name {} --resource-group \"$RESOURCE_GROUP\" --query id --output tsv)\n\
                         az network vpn-connection create --name {} --resource-group \"$RESOURCE_GROUP\" --vnet-gateway1 {} --express-route-circuit2 \"$circuit_id\"\n",
                        name(other_end),
                        name(connection),
                        name(gateway)
                    ));
                } else {
                    // A VNet-to-VNet connection is two connections, one on each gateway, with one key.
                    let other = other_gateway.clone().unwrap_or_else(|| format!("{other_end} gateway"));
                    let (gateway, other) = (name(gateway), name(&other));
                    text.push_str(&format!(
                        "az network vpn-connection create --name {} --resource-group \"$RESOURCE_GROUP\" --vnet-gateway1 {gateway} --vnet-gateway2 {other} --shared-key \"${{SHARED_KEY:?set SHARED_KEY}}\"\n\
                         az network vpn-connection create --name {} --resource-group \"$RESOURCE_GROUP\" --vnet-gateway1 {other} --vnet-gateway2 {gateway} --shared-key \"$SHARED_KEY\"\n",
                        name(connection),
                        name(&format!("{connection} (return)"))
                    ));
                }
            }
            Action::CreatePeering { name: peering, from, to, from_side, to_side, .. } => {
                for (local, remote, settings, peering_name) in peering_sides(from, to, from_side, to_side, peering) {
                    text.push_str(&format!(
                        "az network vnet peering create --name {} --resource-group \"$RESOURCE_GROUP\" --vnet-name {} --remote-vnet {}{}\n",
                        name(&peering_name),
                        name(local),
                        name(remote),
                        cli_peering_flags(settings)
                    ));
                }
            }
            _ => {}
        }
    }
    text
}

/// Seed 000's DNS update, once per record.
fn powershell_dns(plan: &RecoveryPlan, steps: &[&Step]) -> String {
    let mut text = header(plan, "DNS record updates (PowerShell, DnsServer module)", &AzureNames::default());
    text.push_str("$ErrorActionPreference = 'Stop'\n");
    for step in steps {
        let Action::UpdateDns { zone, record, new_ip, .. } = &step.action else { continue };
        text.push_str(&step_comment(step));
        text.push_str(&format!(
            "$Record = Get-DnsServerResourceRecord -ZoneName {zone} -Name {name}\n\
             $NewRecord = $Record.Clone()\n\
             $NewRecord.RecordData[0].IPv4Address = {ip}\n\
             Set-DnsServerResourceRecord -ZoneName {zone} -OldInputObject $Record -NewInputObject $NewRecord\n",
            zone = powershell(zone),
            name = powershell(record),
            ip = powershell(&new_ip.to_string()),
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_names_keep_what_azure_allows_and_tell_apart_names_that_would_collide() {
        assert_eq!(azure_name("Target vNet1 to Target Hub vNet (return)"), "Target-vNet1-to-Target-Hub-vNet-return");
        assert_eq!(azure_name("  -Hub.vnet_1 -- "), "Hub.vnet_1");
        assert_eq!(azure_name("***"), "resource");
        assert_eq!(azure_name(&"x".repeat(100)).len(), 64);
        let mut names = AzureNames::default();
        assert_eq!(names.of("a b"), "a-b");
        assert_eq!(names.of("a-b"), "a-b-2", "another display name that gives the same name");
        assert_eq!(names.of("a b"), "a-b", "the same display name, the same name");
    }
}
